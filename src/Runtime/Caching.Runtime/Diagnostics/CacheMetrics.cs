using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Caching.Internal;

/// <summary>
/// The cache's instruments. Names follow the seed's Prometheus names once the OpenTelemetry exporter adds its
/// suffixes: cache_requests_total, cache_hits_total{layer}, cache_misses_total, cache_errors_total,
/// cache_invalidations_total, cache_operation_duration_seconds, cache_local_size_bytes, cache_local_max_size_bytes.
/// </summary>
internal sealed class CacheMetrics : IDisposable
{
    public const string MeterName = "Caching";

    private static readonly KeyValuePair<string, object?> LocalLayer = new("layer", "local");
    private static readonly KeyValuePair<string, object?> RedisLayer = new("layer", "redis");
    private static readonly KeyValuePair<string, object?> SourceLayer = new("layer", "source");

    // From 10 µs (an L2 hit on loopback is tens of µs) to 10 s (a slow source): the SDK's defaults are for milliseconds.
    private static readonly double[] DurationBuckets = [0.00001, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _hits;
    private readonly Counter<long> _misses;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _invalidations;
    private readonly Histogram<double> _duration;

    public CacheMetrics(IMeterFactory? meterFactory, Func<long> localSize, Func<long> localMaxSize)
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

        _requests = _meter.CreateCounter<long>("cache_requests", description: "Cache lookups (GetOrSet and Get).");
        _hits = _meter.CreateCounter<long>("cache_hits", description: "Lookups answered by a cache tier, by layer.");
        _misses = _meter.CreateCounter<long>("cache_misses", description: "Lookups no cache tier could answer.");
        _errors = _meter.CreateCounter<long>("cache_errors", description: "Redis operations that failed or timed out, and unreadable payloads.");
        _invalidations = _meter.CreateCounter<long>("cache_invalidations", description: "Invalidations by kind (key, pattern, tag).");
        _duration = _meter.CreateHistogram(
            "cache_operation_duration",
            unit: "s",
            description: "Duration of cache operations that left the in-process tier.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _meter.CreateObservableGauge("cache_local_size", localSize, unit: "By", description: "Bytes held by the in-process cache.");
        _meter.CreateObservableGauge("cache_local_max_size", localMaxSize, unit: "By", description: "The in-process cache's byte budget.");
    }

    public void Request() => _requests.Add(1);

    public void Hit(CacheTier tier) => _hits.Add(1, tier switch
    {
        CacheTier.Local => LocalLayer,
        CacheTier.Redis => RedisLayer,
        _ => SourceLayer,
    });

    public void Miss() => _misses.Add(1);

    public void Error(string operation) => _errors.Add(1, new KeyValuePair<string, object?>("operation", operation));

    public void Invalidation(InvalidationKind kind) => _invalidations.Add(1, new KeyValuePair<string, object?>("kind", kind switch
    {
        InvalidationKind.Key => "key",
        InvalidationKind.Pattern => "pattern",
        InvalidationKind.Tag => "tag",
        _ => "all",
    }));

    public bool DurationEnabled => _duration.Enabled;

    public void Duration(string operation, long startTimestamp) =>
        _duration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, new KeyValuePair<string, object?>("operation", operation));

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
