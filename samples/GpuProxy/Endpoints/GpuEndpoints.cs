using GpuProxy.Data;
using GpuProxy.Services;

namespace GpuProxy.Endpoints;

/// <summary>The <c>/api/gpu</c> endpoints.</summary>
public static class GpuEndpoints
{
    /// <summary>Maps the GPU endpoints.</summary>
    /// <param name="app">The route builder.</param>
    public static IEndpointRouteBuilder MapGpuEndpoints(this IEndpointRouteBuilder app)
    {
        var gpu = app.MapGroup("/api/gpu").WithTags("gpu");

        // Cached as a whole HTTP response by the middleware (10 s in L1, 1 min in Redis), keyed by the query,
        // and tagged so every instance write drops it (IGpuService's [InvalidatesCache] names the same tag).
        gpu.MapGet("/instances", (IGpuService service, string? region, string? model, CancellationToken ct) =>
                service.ListAvailableAsync(Normalize(region), Normalize(model), ct))
            .CacheResponse(TimeSpan.FromMinutes(1), p => p.LocalTtl(TimeSpan.FromSeconds(10)).Tag("gpu:instances"));

        // Cached inside the service by the generated decorator.
        gpu.MapGet("/instances/{id}", async (IGpuService service, string id, CancellationToken ct) =>
            await service.GetInstanceAsync(id, ct) is { } instance ? Results.Ok(instance) : Results.NotFound());

        gpu.MapPost("/instances", async (IGpuService service, CreateInstanceRequest request, CancellationToken ct) =>
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
                return Results.Created($"/api/gpu/instances/{created.Id}", created);
            }
            catch (ArgumentException ex)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["modelId"] = [ex.Message] });
            }
        });

        gpu.MapPut("/instances/{id}", async (IGpuService service, string id, UpdateInstanceRequest update, CancellationToken ct) =>
        {
            try
            {
                return await service.UpdateInstanceAsync(id, update, ct) is { } instance ? Results.Ok(instance) : Results.NotFound();
            }
            catch (ArgumentException ex)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["status"] = [ex.Message] });
            }
        });

        return app;
    }

    // "" and absent mean the same filter, so they share one cache entry in the service.
    private static string? Normalize(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim().ToLowerInvariant();
}
