using Caching;

namespace OpenTelemetry.Metrics;

/// <summary>Adds the two-tier cache's metrics to an OpenTelemetry meter provider.</summary>
public static class MultiLayerCacheMeterProviderBuilderExtensions
{
    /// <summary>
    /// Collects the cache's <see cref="CacheMeter.Name"/> meter. Its instruments are named so that OpenTelemetry's
    /// Prometheus exporter shows the seed's names: <c>cache_requests_total</c>, <c>cache_hits_total{layer="local|redis"}</c>,
    /// <c>cache_misses_total</c>, <c>cache_errors_total{operation}</c>, <c>cache_invalidations_total{kind}</c>,
    /// <c>cache_operation_duration_seconds</c> (a histogram from 10 µs to 10 s), <c>cache_local_size_bytes</c>,
    /// <c>cache_local_max_size_bytes</c>, and for the invalidation replay queue <c>cache_invalidations_pending</c>,
    /// <c>cache_invalidations_collapsed_total</c> and <c>cache_invalidations_dropped_total</c>.
    /// </summary>
    /// <param name="builder">The meter provider builder.</param>
    /// <returns>The builder, for chaining.</returns>
    public static MeterProviderBuilder AddMultiLayerCacheInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter(CacheMeter.Name);
    }
}
