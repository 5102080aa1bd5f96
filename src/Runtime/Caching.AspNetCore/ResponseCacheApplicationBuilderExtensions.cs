using Caching.AspNetCore;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds the response-caching middleware to the pipeline.</summary>
public static class ResponseCacheApplicationBuilderExtensions
{
    /// <summary>
    /// Serves and stores the responses of endpoints marked with <c>.CacheResponse(ttl)</c> or <see cref="CacheResponseAttribute"/>.
    /// Place it after routing, authentication and authorization (the defaults of a minimal-API app), so it sees the endpoint
    /// and the user, and never answers a request that authorization would have refused.
    /// Needs <c>services.AddMultiLayerCache(...)</c>; <c>services.AddMultiLayerResponseCache()</c> is optional (options).
    /// </summary>
    /// <param name="app">The application.</param>
    public static IApplicationBuilder UseMultiLayerResponseCache(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.UseMiddleware<ResponseCacheMiddleware>();
    }
}
