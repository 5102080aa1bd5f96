using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Caching.Testing;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using ZiggyCreatures.Caching.Fusion;

namespace Caching.Benchmarks;

/// <summary>
/// DESIGN "L2 hit": every read goes to a real redis-server (started here, on 127.0.0.1 and a free port) and is
/// deserialized; nothing is served from memory. Raw is one StackExchange.Redis GET plus System.Text.Json. Ours
/// skips L1 per call (<see cref="CacheEntryOptions.SkipLocal"/>) and, separately, with L1 disabled; FusionCache and
/// HybridCache use Microsoft's RedisCache and skip their memory tier. Target: ours ≤ 1.05× raw, one command per hit
/// (counted by <c>-- commands</c>, <see cref="RedisCommandCount"/>).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ShortConfig))]
public class L2HitBenchmarks
{
    private const string Key = "user:42:profile";
    private static readonly RedisKey RawKey = "raw:" + Key;
    private static readonly CacheEntryOptions OursSkipLocal = new() { SkipLocal = true };
    private static readonly FusionCacheEntryOptions FusionL2Only = new() { Duration = Contestants.LocalTtl, DistributedCacheDuration = Contestants.RedisTtl, SkipMemoryCacheRead = true, SkipMemoryCacheWrite = true };
    private static readonly HybridCacheEntryOptions HybridL2Only = new() { Flags = HybridCacheEntryFlags.DisableLocalCache };

    private readonly Profile _value = Payloads.Immutable();
    private readonly Func<FusionCacheFactoryExecutionContext<Profile>, CancellationToken, Task<Profile>> _fusionFactory;
    private readonly Func<FusionCacheFactoryExecutionContext<Profile>, CancellationToken, Task<Profile>> _fusionNever =
        static (_, _) => throw new InvalidOperationException("L2 hit benchmark reached the source: the entry is not in Redis.");
    private RedisServer _redis = null!;
    private ConnectionMultiplexer _raw = null!;
    private IDatabase _rawDatabase = null!;
    private MultiLayerCache _ours = null!;
    private MultiLayerCache _oursNoL1 = null!;
    private FusionCache _fusion = null!;
    private HybridCache _hybrid = null!;
    private ServiceProvider _hybridServices = null!;

    public L2HitBenchmarks() => _fusionFactory = (_, _) => Task.FromResult(_value);

    /// <summary>The factories fail: a benchmark that reached the source would measure a miss, not an L2 hit.</summary>
    private static ValueTask<Profile> NeverAsync<TState>(TState state, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("L2 hit benchmark reached the source: the entry is not in Redis.");

    [GlobalSetup]
    public void Setup()
    {
        _redis = new RedisServer();
        _raw = ConnectionMultiplexer.Connect(_redis.ConnectionString);
        _rawDatabase = _raw.GetDatabase();
        _rawDatabase.StringSet(RawKey, JsonSerializer.SerializeToUtf8Bytes(_value), Contestants.RedisTtl);

        // Until its connection and backplane subscription are up, our cache serves from the source (by design:
        // a slow Redis never holds a caller up), so wait for them as an application's startup probe would.
        _ours = Contestants.Ours(_redis);
        _oursNoL1 = Contestants.Ours(_redis, localEnabled: false);
        Contestants.WaitForRedis(_ours);
        Contestants.WaitForRedis(_oursNoL1);
        _ = Sync.Result(_ours.GetOrSetAsync(Key, _value, static (v, _) => ValueTask.FromResult(v), OursSkipLocal));

        _fusion = Contestants.Fusion(_redis);
        _ = Sync.Result(_fusion.GetOrSetAsync<Profile>(Key, _fusionFactory, options: FusionL2Only));

        (_hybrid, _hybridServices) = Contestants.Hybrid(_redis);
        _ = Sync.Result(_hybrid.GetOrCreateAsync(Key, _value, static (v, _) => ValueTask.FromResult(v), HybridL2Only));

        Check.Equal(_value, Raw().GetAwaiter().GetResult(), nameof(Raw));
        Check.Equal(_value, OursSkipLocalAsync().GetAwaiter().GetResult(), nameof(OursSkipLocalAsync));
        Check.Equal(_value, OursL1DisabledAsync().GetAwaiter().GetResult(), nameof(OursL1DisabledAsync));
        Check.Equal(_value, OursGetL1DisabledAsync().GetAwaiter().GetResult(), nameof(OursGetL1DisabledAsync));
        Check.Equal(_value, FusionAsync().GetAwaiter().GetResult(), nameof(FusionAsync));
        Check.Equal(_value, HybridAsync().GetAwaiter().GetResult(), nameof(HybridAsync));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _hybridServices.Dispose();
        _fusion.Dispose();
        _oursNoL1.Dispose();
        _ours.Dispose();
        _raw.Dispose();
        _redis.Dispose();
    }

    [Benchmark(Baseline = true, Description = "raw GET + System.Text.Json")]
    public async Task<Profile?> Raw()
    {
        var bytes = await _rawDatabase.StringGetAsync(RawKey).ConfigureAwait(false);
        return bytes.IsNull ? null : JsonSerializer.Deserialize<Profile>((byte[])bytes!);
    }

    [Benchmark(Description = "ours GetOrSetAsync, SkipLocal")]
    public async Task<Profile> OursSkipLocalAsync() =>
        await _ours.GetOrSetAsync(Key, 0, NeverAsync, OursSkipLocal).ConfigureAwait(false);

    [Benchmark(Description = "ours GetOrSetAsync, L1 disabled")]
    public async Task<Profile> OursL1DisabledAsync() =>
        await _oursNoL1.GetOrSetAsync(Key, 0, NeverAsync).ConfigureAwait(false);

    [Benchmark(Description = "ours GetAsync, L1 disabled")]
    public async Task<Profile?> OursGetL1DisabledAsync() =>
        (await _oursNoL1.GetAsync<Profile>(Key).ConfigureAwait(false)).Value;

    [Benchmark(Description = "FusionCache GetOrSetAsync, memory skipped")]
    public async Task<Profile> FusionAsync() =>
        await _fusion.GetOrSetAsync<Profile>(Key, _fusionNever, options: FusionL2Only).ConfigureAwait(false);

    [Benchmark(Description = "HybridCache GetOrCreateAsync, local cache disabled")]
    public async Task<Profile> HybridAsync() =>
        await _hybrid.GetOrCreateAsync(Key, 0, NeverAsync, HybridL2Only).ConfigureAwait(false);
}
