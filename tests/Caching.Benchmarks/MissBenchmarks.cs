using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using ZiggyCreatures.Caching.Fusion;

namespace Caching.Benchmarks;

/// <summary>
/// DESIGN "miss, L1 only": GetOrSet on a key never seen before, with a trivial factory and no Redis. Each iteration
/// gets fresh caches and <see cref="Invocations"/> pre-built fresh keys (so the key strings are not measured and the
/// caches do not grow across iterations). Target: ours ≤ 1.5 µs.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ShortCpuConfig))]
[InvocationCount(Invocations, 16)]
public class MissBenchmarks
{
    private const int Invocations = 8_192;
    private static readonly CacheEntryOptions OursOptions = new();
    private static long s_keySequence;

    private readonly Profile _value = Payloads.Immutable();
    private readonly Func<FusionCacheFactoryExecutionContext<Profile>, CancellationToken, Task<Profile>> _fusionFactory;
    private readonly Func<ICacheEntry, Profile> _rawFactory;
    private string[] _keys = [];
    private int _next;
    private long _factoryRuns;
    private MemoryCache _raw = null!;
    private MultiLayerCache _ours = null!;
    private FusionCache _fusion = null!;
    private HybridCache _hybrid = null!;
    private LocalContestants? _caches;

    public MissBenchmarks()
    {
        _fusionFactory = (_, _) => Task.FromResult(Produce());
        _rawFactory = entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = Contestants.LocalTtl;
            return Produce();
        };
    }

    [GlobalSetup]
    public void Setup()
    {
        // Every contestant must really run the factory once per fresh key, and cache the result.
        foreach (var (name, run) in new (string, Func<Profile>)[] { ("raw", Raw), ("ours async", OursAsync), ("ours sync", OursSync), ("FusionCache", FusionAsync), ("HybridCache", HybridAsync) })
        {
            PrepareIteration();
            var before = _factoryRuns;
            var first = run();
            _next = 0;
            var second = run();
            if (_factoryRuns - before != 1 || !ReferenceEquals(first, _value) || !ReferenceEquals(second, _value))
            {
                throw new InvalidOperationException($"{name}: expected one factory run for a fresh key and a hit after it, got {_factoryRuns - before} runs.");
            }
        }
    }

    [IterationSetup]
    public void PrepareIteration()
    {
        _caches?.Dispose();
        _caches = new LocalContestants();
        (_raw, _ours, _fusion, _hybrid) = (_caches.Raw, _caches.Ours, _caches.Fusion, _caches.Hybrid);
        _keys = new string[Invocations];
        for (var i = 0; i < _keys.Length; i++)
        {
            _keys[i] = "item:" + Interlocked.Increment(ref s_keySequence).ToString(System.Globalization.CultureInfo.InvariantCulture) + ":profile";
        }

        _next = 0;
    }

    [GlobalCleanup]
    public void DisposeCaches() => _caches?.Dispose();

    [Benchmark(Baseline = true, Description = "raw MemoryCache.GetOrCreate")]
    public Profile Raw() => _raw.GetOrCreate(_keys[_next++], _rawFactory)!;

    [Benchmark(Description = "ours GetOrSetAsync")]
    public Profile OursAsync() => Sync.Result(_ours.GetOrSetAsync(_keys[_next++], this, static (self, _) => ValueTask.FromResult(self.Produce()), OursOptions));

    [Benchmark(Description = "ours GetOrSet (sync)")]
    public Profile OursSync() => _ours.GetOrSet(_keys[_next++], this, static self => self.Produce(), OursOptions);

    [Benchmark(Description = "FusionCache GetOrSetAsync")]
    public Profile FusionAsync() => Sync.Result(_fusion.GetOrSetAsync<Profile>(_keys[_next++], _fusionFactory));

    [Benchmark(Description = "HybridCache GetOrCreateAsync")]
    public Profile HybridAsync() => Sync.Result(_hybrid.GetOrCreateAsync(_keys[_next++], this, static (self, _) => ValueTask.FromResult(self.Produce())));

    private Profile Produce()
    {
        _factoryRuns++;
        return _value;
    }
}
