namespace Caching;

/// <summary>
/// The <see cref="System.Diagnostics.Metrics.Meter"/> the cache's instruments belong to: add <see cref="Name"/> to your
/// meter provider (or call <c>AddMultiLayerCacheInstrumentation()</c> from Caching.OpenTelemetry). Through the
/// OpenTelemetry Prometheus exporter they are <c>cache_requests_total</c>, <c>cache_hits_total{layer}</c>,
/// <c>cache_misses_total</c>, <c>cache_errors_total</c>, <c>cache_invalidations_total</c>,
/// <c>cache_operation_duration_seconds</c>, <c>cache_local_size_bytes</c> and <c>cache_local_max_size_bytes</c>.
/// </summary>
public static class CacheMeter
{
    /// <summary>The meter name, "Caching".</summary>
    public const string Name = Internal.CacheMetrics.MeterName;
}
