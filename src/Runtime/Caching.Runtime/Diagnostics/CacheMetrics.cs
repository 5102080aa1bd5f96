using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Caching.Internal;

/// <summary>
/// The cache's instruments. Names follow the seed's Prometheus names once the OpenTelemetry exporter adds its
/// suffixes: cache_requests_total, cache_hits_total{layer}, cache_misses_total, cache_errors_total,
/// cache_invalidations_total, cache_operation_duration_seconds, cache_local_size_bytes, cache_local_max_size_bytes.
/// Requests, hits and misses are observable counters, read from the cache's own statistics when a listener collects:
/// recorded per call they put two instrument calls, and an attached exporter's aggregation, on every L1 hit.
/// </summary>
internal sealed class CacheMetrics : IDisposable
{
    public const string MeterName = "Caching";

    private static readonly KeyValuePair<string, object?> LocalLayer = new("layer", "local");
    private static readonly KeyValuePair<string, object?> RedisLayer = new("layer", "redis");

    // From 10 µs (an L2 hit on loopback is tens of µs) to 10 s (a slow source): the SDK's defaults are for milliseconds.
    private static readonly double[] DurationBuckets = [0.00001, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _invalidations;
    private readonly Counter<long> _invalidationsDropped;
    private readonly Histogram<double> _duration;

    public CacheMetrics(IMeterFactory? meterFactory, Func<CacheStatistics> statistics, Func<long> localSize, Func<long> localMaxSize)
    {
        if (meterFactory is not null)
        {
            _meter = meterFactory.Create(MeterName);
        }
        else
        {
            _meter = new Meter(MeterName);
            _ownsMeter = true;
        }

        _meter.CreateObservableCounter("cache_requests", () => statistics().TotalRequests, description: "Cache lookups (GetOrSet and Get).");
        _meter.CreateObservableCounter("cache_hits", () => Hits(statistics()), description: "Lookups answered by a cache tier, by layer.");
        _meter.CreateObservableCounter("cache_misses", () => Misses(statistics()), description: "Lookups no cache tier could answer.");
        _errors = _meter.CreateCounter<long>("cache_errors", description: "Redis operations that failed or timed out, and unreadable payloads.");
        _invalidations = _meter.CreateCounter<long>("cache_invalidations", description: "Invalidations by kind (key, scope: a segment-prefix pattern or a tag, pattern: a run-time pattern applied by SCAN, all).");
        _invalidationsDropped = _meter.CreateCounter<long>("cache_invalidations_dropped", description: "Invalidations Redis refused for good (permissions, script errors), even in their whole-prefix form.");
        _duration = _meter.CreateHistogram(
            "cache_operation_duration",
            unit: "s",
            description: "Duration of cache operations that left the in-process tier.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _meter.CreateObservableGauge("cache_local_size", localSize, unit: "By", description: "Bytes held by the in-process cache.");
        _meter.CreateObservableGauge("cache_local_max_size", localMaxSize, unit: "By", description: "The in-process cache's byte budget.");
    }

    public void Error(string operation) => _errors.Add(1, new KeyValuePair<string, object?>("operation", operation));

    public void Invalidation(Caching.Invalidation.InvalidationKind kind) => _invalidations.Add(1, new KeyValuePair<string, object?>("kind", kind switch
    {
        Caching.Invalidation.InvalidationKind.Key => "key",
        Caching.Invalidation.InvalidationKind.Pattern => "pattern",
        Caching.Invalidation.InvalidationKind.Scope => "scope",
        _ => "all",
    }));

    public void InvalidationDropped() => _invalidationsDropped.Add(1);

    /// <summary>Observes the replay queue (set once the cache has built its coordinator).</summary>
    public void ObservePending(Func<int> pending, Func<long> collapses)
    {
        _meter.CreateObservableGauge("cache_invalidations_pending", pending, description: "Invalidations waiting for Redis to come back.");
        _meter.CreateObservableCounter("cache_invalidations_collapsed", collapses, description: "Times the replay queue overflowed into one invalidation of the whole key prefix.");
    }

    public bool DurationEnabled => _duration.Enabled;

    public void Duration(string operation, long startTimestamp) =>
        _duration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, new KeyValuePair<string, object?>("operation", operation));

    private static Measurement<long>[] Hits(CacheStatistics stats) =>
        [new Measurement<long>(stats.LocalHits, LocalLayer), new Measurement<long>(stats.RedisHits, RedisLayer)];

    /// <summary>A load that went to the source and a Get that found nothing are both misses for the caches.</summary>
    private static long Misses(CacheStatistics stats) => stats.SourceHits + stats.Misses;

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
