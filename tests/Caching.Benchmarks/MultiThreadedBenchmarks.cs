using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using ZiggyCreatures.Caching.Fusion;

namespace Caching.Benchmarks;

/// <summary>
/// Issue 9's multi-threaded rows: N threads (N = cores, and 4x cores) call one cache at once over 1,000 hot keys, all
/// hits or 90 % hits and 10 % misses on fresh keys, with no Redis. A shared counter or lock on the hit path shows
/// here first (cache-line traffic between cores), never in a one-thread row. The time is wall-clock per call of one
/// thread (an invocation's time over the calls each thread makes), the inverse of the throughput per thread: its
/// ratio to raw MemoryCache in the same run is the inverse of the throughput ratio. Targets: within 1.2x
/// of raw, and at most HybridCache's time. Fresh caches every iteration, so the misses always miss.
/// </summary>
[Config(typeof(ShortConfig))]
[InvocationCount(Invocations, 4)]
public class MultiThreadedBenchmarks
{
    private const int Invocations = 8;
    private const int HotKeys = 1_000;
    private const int CallsPerThread = 10_000;
    private static readonly CacheEntryOptions OursOptions = new();
    private static long s_coldSequence;

    private readonly Profile _value = Payloads.Immutable();
    private readonly string[] _hot = Enumerable.Range(0, HotKeys).Select(i => "user:" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":profile").ToArray();
    private readonly Func<FusionCacheFactoryExecutionContext<Profile>, CancellationToken, Task<Profile>> _fusionFactory;
    private readonly Func<ICacheEntry, Profile> _rawFactory;
    private ThreadGang _gang = null!;
    private string[][] _cold = [];
    private int[] _nextCold = [];
    private MemoryCache _raw = null!;
    private MultiLayerCache _ours = null!;
    private FusionCache _fusion = null!;
    private HybridCache _hybrid = null!;
    private LocalContestants? _caches;

    public MultiThreadedBenchmarks()
    {
        _fusionFactory = (_, _) => Task.FromResult(_value);
        _rawFactory = entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = Contestants.LocalTtl;
            return _value;
        };
    }

    /// <summary>Threads per core: 1 (one thread per core) or 4 (oversubscribed, as a busy web server is).</summary>
    [Params(1, 4)]
    public int ThreadsPerCore { get; set; }

    /// <summary>The share of calls on a key never seen before: 0 (all hits) or 10.</summary>
    [Params(0, 10)]
    public int MissPercent { get; set; }

    private int Threads => Environment.ProcessorCount * ThreadsPerCore;

    [GlobalSetup]
    public void Setup()
    {
        _gang = new ThreadGang(Threads);
        PrepareIteration();

        // One call each, on one hot key: every contestant must hand out the instance it holds.
        Check.Same(_value, Raw(_hot[0]), "raw");
        Check.Same(_value, Ours(_hot[0]), "ours");
        Check.Same(_value, Fusion(_hot[0]), "FusionCache");
        Check.Same(_value, Hybrid(_hot[0]), "HybridCache");
    }

    [IterationSetup]
    public void PrepareIteration()
    {
        _caches?.Dispose();
        _caches = new LocalContestants();
        (_raw, _ours, _fusion, _hybrid) = (_caches.Raw, _caches.Ours, _caches.Fusion, _caches.Hybrid);
        foreach (var key in _hot)
        {
            Raw(key);
            Ours(key);
            Fusion(key);
            Hybrid(key);
        }

        // Enough fresh keys for every miss of the iteration's invocations, per thread, built outside the measurement.
        var missesPerThread = Invocations * CallsPerThread * MissPercent / 100;
        _cold = new string[Threads][];
        _nextCold = new int[Threads];
        for (var t = 0; t < _cold.Length; t++)
        {
            _cold[t] = new string[missesPerThread];
            for (var i = 0; i < missesPerThread; i++)
            {
                _cold[t][i] = "item:" + Interlocked.Increment(ref s_coldSequence).ToString(System.Globalization.CultureInfo.InvariantCulture) + ":profile";
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        DisposeCaches();
        _gang.Dispose();
    }

    [Benchmark(Baseline = true, Description = "raw MemoryCache.GetOrCreate", OperationsPerInvoke = CallsPerThread)]
    public void RawAll() => RunAll(static (self, key) => self.Raw(key));

    [Benchmark(Description = "ours GetOrSetAsync", OperationsPerInvoke = CallsPerThread)]
    public void OursAll() => RunAll(static (self, key) => self.Ours(key));

    [Benchmark(Description = "FusionCache GetOrSetAsync", OperationsPerInvoke = CallsPerThread)]
    public void FusionAll() => RunAll(static (self, key) => self.Fusion(key));

    [Benchmark(Description = "HybridCache GetOrCreateAsync", OperationsPerInvoke = CallsPerThread)]
    public void HybridAll() => RunAll(static (self, key) => self.Hybrid(key));

    private Profile Raw(string key) => _raw.GetOrCreate(key, _rawFactory)!;

    private Profile Ours(string key) => Sync.Result(_ours.GetOrSetAsync(key, this, static (self, _) => ValueTask.FromResult(self._value), OursOptions));

    private Profile Fusion(string key) => Sync.Result(_fusion.GetOrSetAsync<Profile>(key, _fusionFactory));

    private Profile Hybrid(string key) => Sync.Result(_hybrid.GetOrCreateAsync(key, this, static (self, _) => ValueTask.FromResult(self._value)));

    private void RunAll(Func<MultiThreadedBenchmarks, string, Profile> call)
    {
        var missEvery = MissPercent == 0 ? int.MaxValue : 100 / MissPercent;
        _gang.Run(thread =>
        {
            // Each thread walks the hot keys from its own offset with a stride coprime to 1,000, so threads hit
            // different keys at once as request threads do, and every key is hit equally often.
            var cold = _cold[thread];
            var next = _nextCold[thread];
            var position = thread * 97;
            for (var i = 0; i < CallsPerThread; i++)
            {
                var key = i % missEvery == missEvery - 1 ? cold[next++] : _hot[position = (position + 7) % HotKeys];
                if (!ReferenceEquals(call(this, key), _value))
                {
                    throw new InvalidOperationException("a contestant handed out another instance");
                }
            }

            _nextCold[thread] = next;
        });
    }

    private void DisposeCaches() => _caches?.Dispose();
}
