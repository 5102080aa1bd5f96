using GpuProxy.Data;
using GpuProxy.Services;

namespace GpuProxy.Endpoints;

/// <summary>The <c>/api/users</c> endpoints, all cached inside <see cref="IUserService"/> by the generated decorator.</summary>
public static class UserEndpoints
{
    /// <summary>Maps the user endpoints.</summary>
    /// <param name="app">The route builder.</param>
    public static IEndpointRouteBuilder MapUserEndpoints(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/users/{id}").WithTags("users");

        users.MapGet("/profile", async (IUserService service, string id, CancellationToken ct) =>
            await service.GetProfileAsync(id, ct) is { } profile ? Results.Ok(profile) : Results.NotFound());

        users.MapPut("/profile", async (IUserService service, string id, ProfileUpdate update, CancellationToken ct) =>
        {
            try
            {
                return await service.UpdateProfileAsync(id, update, ct) is { } profile ? Results.Ok(profile) : Results.NotFound();
            }
            catch (ArgumentException ex)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["plan"] = [ex.Message] });
            }
        });

        users.MapGet("/credits", async (IUserService service, string id, CancellationToken ct) =>
            await service.GetCreditsAsync(id, ct) is { } credits ? Results.Ok(credits) : Results.NotFound());

        return app;
    }
}
