using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using Caching.Internal;
using Microsoft.Extensions.Caching.Memory;

namespace Caching.Benchmarks;

/// <summary>
/// Where our L1 hit spends its time beyond MemoryCache.TryGetValue: each benchmark adds one piece of
/// <c>MultiLayerCache.TryGetLocal</c> (the L1 MemoryCache's size limit and statistics, the entry wrapper and its
/// freshness clock, the two Interlocked counters, the two metric instruments), and the last two run the real hit
/// path with and without a listener on the "Caching" meter (what an OpenTelemetry exporter attaches in production).
/// Not part of the default run: <c>./build.sh bench --filter '*Anatomy*'</c>.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ShortCpuConfig))]
public class HitPathAnatomyBenchmarks
{
    private const string Key = "user:42:profile";
    private static readonly CacheEntryOptions OursOptions = new();
    private static readonly KeyValuePair<string, object?> LocalLayer = new("layer", "local");

    private readonly Profile _value = Payloads.Immutable();
    private MemoryCache _plain = null!;
    private LocalCache _local = null!;
    private Meter _meter = null!;
    private Counter<long> _requestCounter = null!;
    private Counter<long> _hitCounter = null!;
    private MultiLayerCache _ours = null!;
    private MultiLayerCache _oursObserved = null!;
    private MeterListener _listener = null!;
    private long _hits;
    private long _requests;
    private long _observed;

    [GlobalSetup]
    public void Setup()
    {
        _plain = Contestants.RawMemory();
        _plain.Set(Key, _value, Contestants.LocalTtl);
        _local = new LocalCache(100L * 1024 * 1024, TimeSpan.FromMinutes(1));
        _local.Set(Key, new LocalEntry(_value, null, false, null, 0, long.MaxValue), 207, Contestants.LocalTtl);
        // The same instrument shapes as the runtime's per-hit calls (cache_requests.Add(1), cache_hits.Add(1, layer)).
        _meter = new Meter("Caching.Benchmarks.Anatomy");
        _requestCounter = _meter.CreateCounter<long>("requests");
        _hitCounter = _meter.CreateCounter<long>("hits");
        _ours = Contestants.Ours(redis: null);
        _ = _ours.GetOrSet(Key, _value, static v => v, OursOptions);

        // The listener is created before the observed cache, so it sees that cache's meter publish its instruments.
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == CacheMetrics.MeterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((_, measurement, _, _) => Interlocked.Add(ref _observed, measurement));
        _listener.Start();
        _oursObserved = Contestants.Ours(redis: null);
        _ = _oursObserved.GetOrSet(Key, _value, static v => v, OursOptions);
        _observed = 0;
        Check.Same(_value, OursObserved(), nameof(OursObserved));

        // Instruments the runtime records per call report at once; observable ones report when collected.
        _listener.RecordObservableInstruments();
        if (Interlocked.Read(ref _observed) == 0)
        {
            throw new InvalidOperationException("The meter listener saw no measurement: the observed run would not measure what it claims.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _listener.Dispose();
        _oursObserved.Dispose();
        _ours.Dispose();
        _meter.Dispose();
        _local.Dispose();
        _plain.Dispose();
    }

    [Benchmark(Baseline = true, Description = "MemoryCache.TryGetValue (default options)")]
    public object? PlainTryGet() => _plain.TryGetValue(Key, out var value) ? value : null;

    [Benchmark(Description = "L1 MemoryCache (SizeLimit + TrackStatistics)")]
    public object? LocalTryGet() => _local.TryGet(Key, out var entry) ? entry : null;

    [Benchmark(Description = "+ LocalEntry.IsFresh(Environment.TickCount64)")]
    public object? LocalFresh() => _local.TryGet(Key, out var entry) && entry!.IsFresh(Environment.TickCount64) ? entry.Value : null;

    [Benchmark(Description = "Environment.TickCount64 alone")]
    public long TickCount() => Environment.TickCount64;

    [Benchmark(Description = "2 x Interlocked.Increment alone")]
    public long Interlocks()
    {
        Interlocked.Increment(ref _hits);
        return Interlocked.Increment(ref _requests);
    }

    [Benchmark(Description = "2 x Counter<long>.Add (1 tagged), no listener")]
    public void Metrics()
    {
        _requestCounter.Add(1);
        _hitCounter.Add(1, LocalLayer);
    }

    [Benchmark(Description = "lean emulation: L1 + IsFresh + type check + 1 Interlocked")]
    public Profile? LeanEmulation()
    {
        // What TryGetLocal does once the per-hit metric calls and the derivable total counter are gone.
        if (_local.TryGet(Key, out var entry) && entry!.IsFresh(Environment.TickCount64) && entry.Value is Profile shared)
        {
            Interlocked.Increment(ref _hits);
            return shared;
        }

        return null;
    }

    [Benchmark(Description = "ours GetOrSet hit, no meter listener")]
    public Profile Ours() => _ours.GetOrSet(Key, this, static self => self._value, OursOptions);

    [Benchmark(Description = "ours GetOrSet hit, meter listener on")]
    public Profile OursObserved() => _oursObserved.GetOrSet(Key, this, static self => self._value, OursOptions);
}
