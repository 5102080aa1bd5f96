using Caching.Testing;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using ZiggyCreatures.Caching.Fusion;
using ZiggyCreatures.Caching.Fusion.Serialization.SystemTextJson;

namespace Caching.Benchmarks;

/// <summary>
/// Builds each contestant the way an application would configure it, with the same time to live (5 min in
/// memory, 30 min in Redis) so none of them does expiry work the others skip.
/// </summary>
internal static class Contestants
{
    public static readonly TimeSpan LocalTtl = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan RedisTtl = TimeSpan.FromMinutes(30);

    /// <summary>Plain MemoryCache, as an application would create it without a size limit.</summary>
    public static MemoryCache RawMemory() => new(new MemoryCacheOptions());

    /// <summary>Ours; Redis is on only when <paramref name="redis"/> is given.</summary>
    public static MultiLayerCache Ours(RedisServer? redis, bool localEnabled = true, params string[] indexedPatterns)
    {
        var options = new MultiLayerCacheOptions
        {
            KeyPrefix = "bench",
            LocalEnabled = localEnabled,
            LocalTtl = LocalTtl,
            RedisEnabled = redis is not null,
            RedisConnection = redis?.ConnectionString ?? "127.0.0.1:1",
            RedisTtl = RedisTtl,
        };
        foreach (var pattern in indexedPatterns)
        {
            options.IndexedPatterns.Add(pattern);
        }

        return new MultiLayerCache(options);
    }

    /// <summary>Waits until our cache's Redis connection and backplane subscription answer a set/get probe.</summary>
    public static void WaitForRedis(MultiLayerCache cache)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            if (cache.ProbeRedisAsync().AsTask().GetAwaiter().GetResult())
            {
                return;
            }
        }

        throw new InvalidOperationException("Our cache could not reach the benchmark's redis-server.");
    }

    /// <summary>FusionCache; with Redis as its distributed cache (Microsoft's RedisCache + the System.Text.Json serializer) when given.</summary>
    public static FusionCache Fusion(RedisServer? redis)
    {
        var cache = new FusionCache(new FusionCacheOptions
        {
            CacheName = "bench",
            DefaultEntryOptions = new FusionCacheEntryOptions
            {
                Duration = LocalTtl,
                DistributedCacheDuration = RedisTtl,
            },
        });
        if (redis is not null)
        {
            cache.SetupDistributedCache(
                new RedisCache(new RedisCacheOptions { Configuration = redis.ConnectionString, InstanceName = "fusion:" }),
                new FusionCacheSystemTextJsonSerializer());
        }

        return cache;
    }

    /// <summary>HybridCache through its DI registration; with Microsoft's RedisCache as L2 when given. Dispose the provider.</summary>
    public static (HybridCache Cache, ServiceProvider Services) Hybrid(RedisServer? redis)
    {
        var services = new ServiceCollection();
        if (redis is not null)
        {
            services.AddStackExchangeRedisCache(options =>
            {
                options.Configuration = redis.ConnectionString;
                options.InstanceName = "hybrid:";
            });
        }

        services.AddHybridCache(options => options.DefaultEntryOptions = new HybridCacheEntryOptions
        {
            LocalCacheExpiration = LocalTtl,
            Expiration = RedisTtl,
        });
        var provider = services.BuildServiceProvider();
        return (provider.GetRequiredService<HybridCache>(), provider);
    }
}

/// <summary>One fresh cache of each contestant without Redis, disposed together: for rows that need empty caches every iteration.</summary>
internal sealed class LocalContestants : IDisposable
{
    private readonly ServiceProvider _hybridServices;

    public LocalContestants() => (Hybrid, _hybridServices) = Contestants.Hybrid(redis: null);

    public MemoryCache Raw { get; } = Contestants.RawMemory();

    public MultiLayerCache Ours { get; } = Contestants.Ours(redis: null);

    public FusionCache Fusion { get; } = Contestants.Fusion(redis: null);

    public HybridCache Hybrid { get; }

    public void Dispose()
    {
        Raw.Dispose();
        Ours.Dispose();
        Fusion.Dispose();
        _hybridServices.Dispose();
    }
}

/// <summary>
/// A real redis-server (127.0.0.1, a free port) and each contestant on it, disposed together: raw StackExchange.Redis,
/// ours (its connection and backplane up before the first measured call), FusionCache and HybridCache on Microsoft's
/// RedisCache.
/// </summary>
internal sealed class RedisContestants : IDisposable
{
    private readonly ServiceProvider _hybridServices;

    public RedisContestants()
    {
        Redis = new RedisServer();
        RawConnection = ConnectionMultiplexer.Connect(Redis.ConnectionString);
        Raw = RawConnection.GetDatabase();
        // Until its connection and backplane subscription are up, our cache serves from the source (by design:
        // a slow Redis never holds a caller up), so wait for them as an application's startup probe would.
        Ours = Contestants.Ours(Redis);
        Contestants.WaitForRedis(Ours);
        Fusion = Contestants.Fusion(Redis);
        (Hybrid, _hybridServices) = Contestants.Hybrid(Redis);
    }

    public RedisServer Redis { get; }

    public ConnectionMultiplexer RawConnection { get; }

    public IDatabase Raw { get; }

    public MultiLayerCache Ours { get; }

    public FusionCache Fusion { get; }

    public HybridCache Hybrid { get; }

    public void Dispose()
    {
        _hybridServices.Dispose();
        Fusion.Dispose();
        Ours.Dispose();
        RawConnection.Dispose();
        Redis.Dispose();
    }
}
