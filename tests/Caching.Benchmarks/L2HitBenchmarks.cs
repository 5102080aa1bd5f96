using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Caching.Hybrid;
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
    private RedisContestants _on = null!;
    private IDatabase _rawDatabase = null!;
    private MultiLayerCache _ours = null!;
    private MultiLayerCache _oursNoL1 = null!;
    private FusionCache _fusion = null!;
    private HybridCache _hybrid = null!;

    public L2HitBenchmarks() => _fusionFactory = (_, _) => Task.FromResult(_value);

    /// <summary>The factories fail: a benchmark that reached the source would measure a miss, not an L2 hit.</summary>
    private static ValueTask<Profile> NeverAsync<TState>(TState state, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("L2 hit benchmark reached the source: the entry is not in Redis.");

    [GlobalSetup]
    public void Setup()
    {
        _on = new RedisContestants();
        (_rawDatabase, _ours, _fusion, _hybrid) = (_on.Raw, _on.Ours, _on.Fusion, _on.Hybrid);
        _rawDatabase.StringSet(RawKey, JsonSerializer.SerializeToUtf8Bytes(_value), Contestants.RedisTtl);
        _oursNoL1 = Contestants.Ours(_on.Redis, localEnabled: false);
        Contestants.WaitForRedis(_oursNoL1);
        _ = Sync.Result(_ours.GetOrSetAsync(Key, _value, static (v, _) => ValueTask.FromResult(v), OursSkipLocal));
        _ = Sync.Result(_fusion.GetOrSetAsync<Profile>(Key, _fusionFactory, options: FusionL2Only));
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
        _oursNoL1.Dispose();
        _on.Dispose();
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
