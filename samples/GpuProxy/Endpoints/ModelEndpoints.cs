using GpuProxy.Services;

namespace GpuProxy.Endpoints;

/// <summary>The <c>/api/models</c> endpoint.</summary>
public static class ModelEndpoints
{
    /// <summary>Maps the model catalog endpoint, cached as a whole response by the middleware (the catalog rarely changes).</summary>
    /// <param name="app">The route builder.</param>
    public static IEndpointRouteBuilder MapModelEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/models", (IModelCatalog catalog, string? vendor, CancellationToken ct) =>
                catalog.ListAsync(string.IsNullOrWhiteSpace(vendor) ? null : vendor, ct))
            .WithTags("models")
            // Opts in to the client's no-cache: the load command measures the catalog's own latency through it. Off by
            // default, since it lets any client force a run of the endpoint.
            .CacheResponse(TimeSpan.FromMinutes(10), p => p.LocalTtl(TimeSpan.FromMinutes(1)).Tag("models").HonorClientCacheControl());
        return app;
    }
}
