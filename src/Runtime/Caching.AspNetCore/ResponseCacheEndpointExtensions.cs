using Caching.AspNetCore;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Turns on response caching for minimal-API endpoints and groups.</summary>
public static class ResponseCacheEndpointExtensions
{
    /// <summary>
    /// Caches the endpoint's successful GET/HEAD responses for <paramref name="ttl"/> in both tiers. Requires
    /// <c>app.UseMultiLayerResponseCache()</c>.
    /// </summary>
    /// <typeparam name="TBuilder">The endpoint or group builder.</typeparam>
    /// <param name="builder">The endpoint.</param>
    /// <param name="ttl">Time to live in L1 and Redis.</param>
    /// <param name="configure">Refines the policy: vary-by, tags, custom key, per-user opt-in.</param>
    public static TBuilder CacheResponse<TBuilder>(this TBuilder builder, TimeSpan ttl, Action<ResponseCachePolicyBuilder>? configure = null)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var policyBuilder = new ResponseCachePolicyBuilder(ttl);
        configure?.Invoke(policyBuilder);
        var policy = policyBuilder.Build();
        builder.Add(endpoint => endpoint.Metadata.Add(policy));
        return builder;
    }
}
