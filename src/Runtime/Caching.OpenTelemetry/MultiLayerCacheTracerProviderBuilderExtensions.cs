using Caching;

namespace OpenTelemetry.Trace;

/// <summary>Adds the two-tier cache's spans to an OpenTelemetry tracer provider.</summary>
public static class MultiLayerCacheTracerProviderBuilderExtensions
{
    /// <summary>
    /// Collects the cache's <see cref="CacheActivity.SourceName"/> activity source: a <c>cache.get_or_set</c> span
    /// for each call that leaves L1 (tags <c>cache.key</c> and <c>cache.tier</c>: Redis, Source, ...), a client span
    /// for each Redis read and store under it (<c>cache.redis.get</c>, <c>cache.redis.set</c>, with
    /// <c>db.system.name</c>, <c>db.operation.name</c>, <c>server.address</c>, <c>server.port</c>, and
    /// <c>cache.hit</c> or <c>cache.stored</c>; status Error when Redis failed and the cache went on without it), and
    /// a <c>cache.invalidate</c> span for each invalidation. L1 hits make no span: they cost tens of nanoseconds.
    /// </summary>
    /// <param name="builder">The tracer provider builder.</param>
    /// <returns>The builder, for chaining.</returns>
    public static TracerProviderBuilder AddMultiLayerCacheInstrumentation(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSource(CacheActivity.SourceName);
    }
}
