using Caching.Runtime.Tests.Infrastructure;
using Caching.Testing;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Caching.Runtime.Tests.Hybrid;

/// <summary>The HybridCache implementations the conformance rows run against.</summary>
public enum Implementation
{
    /// <summary>This library: L1 + Redis + backplane (AddMultiLayerCache(...).AsHybridCache()).</summary>
    Ours,

    /// <summary>This library with Redis disabled: L1 only.</summary>
    OursLocalOnly,

    /// <summary>Microsoft's DefaultHybridCache (services.AddHybridCache()) without an IDistributedCache: L1 only.</summary>
    Microsoft,

    /// <summary>Microsoft's DefaultHybridCache over Microsoft.Extensions.Caching.StackExchangeRedis on the same real Redis.</summary>
    MicrosoftWithRedis,
}

/// <summary>One HybridCache under test, built the way an application builds it, plus what a test needs to look inside Redis.</summary>
internal sealed class HybridSubject : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly RedisServer _redis;

    private HybridSubject(Implementation kind, ServiceProvider provider, RedisServer redis, string prefix)
    {
        Kind = kind;
        _provider = provider;
        _redis = redis;
        Prefix = prefix;
        Cache = provider.GetRequiredService<HybridCache>();
    }

    public Implementation Kind { get; }

    public HybridCache Cache { get; }

    public string Prefix { get; }

    public IServiceProvider Services => _provider;

    public bool IsMicrosoft => Kind is Implementation.Microsoft or Implementation.MicrosoftWithRedis;

    public bool HasRedis => Kind is Implementation.Ours or Implementation.MicrosoftWithRedis;

    public static TheoryData<Implementation> All => [Implementation.Ours, Implementation.OursLocalOnly, Implementation.Microsoft, Implementation.MicrosoftWithRedis];

    public static TheoryData<Implementation> WithRedis => [Implementation.Ours, Implementation.MicrosoftWithRedis];

    /// <summary>Builds a HybridCache; <paramref name="prefix"/> shared between two subjects makes two nodes of one application.</summary>
    public static async Task<HybridSubject> CreateAsync(
        Implementation kind,
        RedisServer redis,
        string? prefix = null,
        Action<IServiceCollection>? register = null,
        long? maximumPayloadBytes = null,
        int? maximumKeyLength = null)
    {
        prefix ??= CacheFactory.UniquePrefix("hybrid-" + kind.ToString().ToLowerInvariant());
        var services = new ServiceCollection();
        services.AddLogging();
        switch (kind)
        {
            case Implementation.Ours:
            case Implementation.OursLocalOnly:
                services.AddMultiLayerCache(CacheFactory.Options(kind == Implementation.Ours ? redis : null, prefix)).AsHybridCache(o =>
                {
                    o.MaximumPayloadBytes = maximumPayloadBytes;
                    o.MaximumKeyLength = maximumKeyLength ?? o.MaximumKeyLength;
                });
                break;
            default:
                if (kind == Implementation.MicrosoftWithRedis)
                {
                    services.AddStackExchangeRedisCache(o =>
                    {
                        o.Configuration = redis.ConnectionString;
                        o.InstanceName = prefix + ":";
                    });
                }

                services.AddHybridCache(o =>
                {
                    o.MaximumPayloadBytes = maximumPayloadBytes ?? o.MaximumPayloadBytes;
                    o.MaximumKeyLength = maximumKeyLength ?? o.MaximumKeyLength;
                });
                break;
        }

        register?.Invoke(services);
        var provider = services.BuildServiceProvider();
        if (kind == Implementation.Ours)
        {
            // What the host's start does in an application: connect, subscribe, calibrate the clock.
            await provider.GetRequiredService<MultiLayerCache>().ProbeRedisAsync();
        }

        return new HybridSubject(kind, provider, redis, prefix);
    }

    /// <summary>The bytes Redis holds for a HybridCache key (ours: a string; Microsoft's Redis cache: a hash's data field), or null.</summary>
    public async Task<byte[]?> RedisBytesAsync(string key)
    {
        await using var connection = await _redis.ConnectAsync();
        var database = connection.GetDatabase();
        RedisKey redisKey = Prefix + ":" + key;
        var type = await database.KeyTypeAsync(redisKey);
        return type switch
        {
            RedisType.String => (byte[]?)await database.StringGetAsync(redisKey),
            RedisType.Hash => (byte[]?)await database.HashGetAsync(redisKey, "data"),
            _ => null,
        };
    }

    /// <summary>
    /// Waits until Microsoft's L2 write of <paramref name="key"/> landed: DefaultHybridCache releases its callers first
    /// and writes the distributed cache after, so a test that reads Redis (or removes the key) right away would race it.
    /// Ours writes Redis before a call returns; nothing to wait for.
    /// </summary>
    public async Task SettledAsync(string key)
    {
        if (Kind == Implementation.MicrosoftWithRedis)
        {
            await Eventually.HoldsAsync(async () => await RedisBytesAsync(key) is not null, TimeSpan.FromSeconds(5), $"Microsoft's L2 write of '{key}'");
        }
    }

    public async ValueTask DisposeAsync() => await _provider.DisposeAsync();
}
