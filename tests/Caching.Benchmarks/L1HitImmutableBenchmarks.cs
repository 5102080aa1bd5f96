using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using ZiggyCreatures.Caching.Fusion;

namespace Caching.Benchmarks;

/// <summary>
/// DESIGN "L1 hit, immutable type": every contestant holds the same <see cref="Profile"/> instance under the same
/// pre-built key and hands it out shared. Target: ours ≤ 1.5× raw MemoryCache.TryGetValue, and no allocation of
/// our own (the caller's key string is the only one the target allows; it is built outside the measurement).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ShortCpuConfig))]
public class L1HitImmutableBenchmarks
{
    private const string Key = "user:42:profile";
    private static readonly CacheEntryOptions OursOptions = new();

    private readonly Profile _value = Payloads.Immutable();
    private readonly Func<FusionCacheFactoryExecutionContext<Profile>, CancellationToken, Task<Profile>> _fusionFactory;
    private MemoryCache _raw = null!;
    private MultiLayerCache _ours = null!;
    private FusionCache _fusion = null!;
    private HybridCache _hybrid = null!;
    private ServiceProvider _hybridServices = null!;

    public L1HitImmutableBenchmarks() => _fusionFactory = (_, _) => Task.FromResult(_value);

    [GlobalSetup]
    public void Setup()
    {
        _raw = Contestants.RawMemory();
        _raw.Set(Key, _value, Contestants.LocalTtl);

        _ours = Contestants.Ours(redis: null);
        _ = _ours.GetOrSet(Key, _value, static v => v, OursOptions);

        _fusion = Contestants.Fusion(redis: null);
        _ = _fusion.GetOrSet(Key, _ => _value);

        (_hybrid, _hybridServices) = Contestants.Hybrid(redis: null);
        _ = Sync.Result(_hybrid.GetOrCreateAsync(Key, _value, static (v, _) => ValueTask.FromResult(v)));

        // A benchmark that measured a miss would be worthless: every contestant must hand out the stored instance.
        Check.Same(_value, Raw(), nameof(Raw));
        Check.Same(_value, OursAsync(), nameof(OursAsync));
        Check.Same(_value, OursSync(), nameof(OursSync));
        Check.Same(_value, FusionAsync(), nameof(FusionAsync));
        Check.Same(_value, HybridAsync(), nameof(HybridAsync));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _raw.Dispose();
        _ours.Dispose();
        _fusion.Dispose();
        _hybridServices.Dispose();
    }

    [Benchmark(Baseline = true, Description = "raw MemoryCache.TryGetValue")]
    public Profile? Raw() => _raw.TryGetValue(Key, out var value) ? (Profile?)value : null;

    [Benchmark(Description = "ours GetOrSetAsync")]
    public Profile OursAsync() => Sync.Result(_ours.GetOrSetAsync(Key, this, static (self, _) => ValueTask.FromResult(self._value), OursOptions));

    [Benchmark(Description = "ours GetOrSet (sync)")]
    public Profile OursSync() => _ours.GetOrSet(Key, this, static self => self._value, OursOptions);

    [Benchmark(Description = "FusionCache GetOrSetAsync")]
    public Profile FusionAsync() => Sync.Result(_fusion.GetOrSetAsync<Profile>(Key, _fusionFactory));

    [Benchmark(Description = "HybridCache GetOrCreateAsync")]
    public Profile HybridAsync() => Sync.Result(_hybrid.GetOrCreateAsync(Key, this, static (self, _) => ValueTask.FromResult(self._value)));
}
