using Caching;
using Caching.AspNetCore;
using GpuProxy.Data;
using GpuProxy.Services;
using Microsoft.Extensions.Options;

namespace GpuProxy.Endpoints;

/// <summary>The <c>/api/gpu</c> endpoints and <c>/api/search</c>.</summary>
public static class GpuEndpoints
{
    /// <summary>Maps the GPU endpoints.</summary>
    /// <param name="app">The route builder.</param>
    public static IEndpointRouteBuilder MapGpuEndpoints(this IEndpointRouteBuilder app)
    {
        var gpu = app.MapGroup("/api/gpu").WithTags("gpu");

        // Cached as a whole HTTP response by the middleware (10 s in L1, 1 min in Redis) under a key with the region and
        // the model in segments of their own, so a write drops the four lists that can hold its instance by name.
        gpu.MapGet("/instances", (IGpuService service, string? region, string? model, CancellationToken ct) =>
                service.ListAvailableAsync(InstanceCacheScopes.Normalize(region), InstanceCacheScopes.Normalize(model), ct))
            .CacheResponse(TimeSpan.FromMinutes(1), p => p
                .LocalTtl(TimeSpan.FromSeconds(10))
                .Key(context => InstanceCacheScopes.ListKey(
                    InstanceCacheScopes.Normalize(context.Request.Query["region"]),
                    InstanceCacheScopes.Normalize(context.Request.Query["model"])))
                .Tag(InstanceCacheScopes.AllInstancesTag));

        // Cached inside the service by the generated decorator.
        gpu.MapGet("/instances/{id}", async (IGpuService service, string id, CancellationToken ct) =>
            await service.GetInstanceAsync(id, ct) is { } instance ? Results.Ok(instance) : Results.NotFound());

        gpu.MapPost("/instances", async (IGpuService service, WriteScopes scopes, CreateInstanceRequest request, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(request.Name) || string.IsNullOrWhiteSpace(request.ModelId) || !GpuDatabase.Regions.Contains(request.Region))
            {
                return Results.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["request"] = [$"name and modelId are required; region is one of {string.Join(", ", GpuDatabase.Regions)}."],
                });
            }

            try
            {
                var created = await service.CreateInstanceAsync(request, ct);
                await scopes.InvalidateAsync(created);
                return Results.Created($"/api/gpu/instances/{created.Id}", created);
            }
            catch (ArgumentException ex)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["modelId"] = [ex.Message] });
            }
        });

        gpu.MapPut("/instances/{id}", async (IGpuService service, WriteScopes scopes, string id, UpdateInstanceRequest update, CancellationToken ct) =>
        {
            try
            {
                if (await service.UpdateInstanceAsync(id, update, ct) is not { } instance)
                {
                    return Results.NotFound();
                }

                await scopes.InvalidateAsync(instance);
                return Results.Ok(instance);
            }
            catch (ArgumentException ex)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["status"] = [ex.Message] });
            }
        });

        // The seed's search, cached inside ISearchService under CacheKeyGen.Query keys.
        app.MapGet("/api/search", async (ISearchService search, string? q, string? region, CancellationToken ct) =>
                InstanceCacheScopes.Normalize(q) is { } query
                    ? Results.Ok(await search.SearchAsync(query, InstanceCacheScopes.Normalize(region), ct))
                    : Results.ValidationProblem(new Dictionary<string, string[]> { ["q"] = ["q is required."] }))
            .WithTags("search");

        return app;
    }
}

/// <summary>Drops what one instance write changed; the caller's token is not passed, so a write that succeeded is always followed by its invalidation.</summary>
/// <param name="cache">The cache.</param>
/// <param name="options">The response cache's options (its key prefix).</param>
public sealed class WriteScopes(IMultiLayerCache cache, IOptions<MultiLayerResponseCacheOptions> options)
{
    /// <summary>Drops the lists and searches that can hold <paramref name="instance"/>.</summary>
    /// <param name="instance">The instance as written.</param>
    public Task InvalidateAsync(GpuInstance instance) =>
        InstanceCacheScopes.InvalidateAsync(cache, options.Value.KeyPrefix, instance, CancellationToken.None);
}
