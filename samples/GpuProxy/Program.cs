using GpuProxy;
using GpuProxy.Data;
using GpuProxy.Endpoints;
using GpuProxy.Load;
using GpuProxy.Security;
using GpuProxy.Services;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

if (args.Length > 0 && args[0] == "load")
{
    return await LoadCommand.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "reset")
{
    return await ResetCommand.RunAsync(args[1..]);
}

var builder = WebApplication.CreateBuilder(args);

// The source: SQLite, created and seeded on first run, behind an artificial latency.
builder.Services.AddOptions<GpuProxyOptions>().Bind(builder.Configuration.GetSection(GpuProxyOptions.SectionName));
builder.Services.AddSingleton(sp => SourceLatency.Parse(sp.GetRequiredService<IOptions<GpuProxyOptions>>().Value.SourceLatency));
builder.Services.AddSingleton<GpuDatabase>();
builder.Services.AddSingleton<IGpuService, GpuService>();
builder.Services.AddSingleton<IUserService, UserService>();
builder.Services.AddSingleton<IModelCatalog, ModelCatalog>();
builder.Services.AddSingleton<ISearchService, SearchService>();
builder.Services.AddSingleton<WriteScopes>();

// Generated at compile time: wraps IGpuService and IUserService (registered above) in their caching decorators.
builder.Services.AddCachingDecorators();

// The cache: L1 + Redis from the Cache section and CACHE_* variables; HTTP responses on top of it.
builder.Services.AddMultiLayerCache(builder.Configuration);
builder.Services.AddMultiLayerResponseCache();
builder.Services.AddHealthChecks().AddMultiLayerCache();

// Only operators may invalidate: an API key in X-Api-Key (CACHE_ADMIN_API_KEY or Cache:AdminApiKey).
var adminKey = builder.Configuration["CACHE_ADMIN_API_KEY"] is { Length: > 0 } fromEnvironment ? fromEnvironment : builder.Configuration["Cache:AdminApiKey"];
builder.Services.AddAuthentication()
    .AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, o => o.ApiKey = adminKey);
builder.Services.AddAuthorizationBuilder()
    .AddPolicy(Startup.CacheAdminPolicy, p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireRole("cache-admin"));

// The seed's metric names come from the cache's meter through the Prometheus exporter; ASP.NET Core's own meter adds
// http_server_request_duration_seconds.
builder.Services.AddOpenTelemetry()
    .WithMetrics(metrics => metrics
        .AddMultiLayerCacheInstrumentation()
        .AddMeter("Microsoft.AspNetCore.Hosting")
        .AddPrometheusExporter());

var app = builder.Build();
var database = app.Services.GetRequiredService<GpuDatabase>();
await database.InitializeAsync(app.Lifetime.ApplicationStopping);
Startup.LogSettings(app, database, adminKey);

app.UseAuthentication();
app.UseAuthorization();
app.UseMultiLayerResponseCache();

app.MapGet("/", () => Results.Text(Startup.Index, "text/plain"));
app.MapGpuEndpoints();
app.MapUserEndpoints();
app.MapModelEndpoints();
app.MapCacheInvalidation("/api/cache/invalidate").RequireAuthorization(Startup.CacheAdminPolicy);
app.MapPost("/api/admin/reset", async (GpuDatabase db, Caching.IMultiLayerCache cache, CancellationToken ct) =>
    {
        // Data first, then the cache: an entry loaded in between holds seeded data, which is what the reset wants anyway.
        await db.ResetAsync(ct);
        var removed = await cache.InvalidatePatternAsync("*", CancellationToken.None);
        return Results.Ok(new { reset = true, removed });
    })
    .RequireAuthorization(Startup.CacheAdminPolicy);
app.MapHealthChecks("/health");
app.MapPrometheusScrapingEndpoint("/metrics");

await app.RunAsync();
return 0;
