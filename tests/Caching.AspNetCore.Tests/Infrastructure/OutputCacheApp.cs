using Caching.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Caching.AspNetCore.Tests.Infrastructure;

/// <summary>
/// One application instance using ASP.NET Core's own output caching (its middleware, its policies) with
/// <see cref="MultiLayerOutputCacheStore"/> registered; pods of a test share a real Redis and a key prefix.
/// </summary>
public sealed class OutputCacheApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OutputCacheApp(WebApplication app, EndpointRuns runs)
    {
        _app = app;
        Runs = runs;
        Client = app.GetTestClient();
    }

    public HttpClient Client { get; }

    public EndpointRuns Runs { get; }

    public IOutputCacheStore Store => _app.Services.GetRequiredService<IOutputCacheStore>();

    public IMultiLayerCache Cache => _app.Services.GetRequiredService<IMultiLayerCache>();

    public static async Task<OutputCacheApp> StartAsync(RedisServer redis, string prefix, EndpointRuns? runs = null)
    {
        runs ??= new EndpointRuns();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddMultiLayerCache(new MultiLayerCacheOptions
        {
            KeyPrefix = prefix,
            RedisConnection = redis.ConnectionString,
            RedisTimeout = TimeSpan.FromMilliseconds(500),
        });
        builder.Services.AddOutputCache(o => o.DefaultExpirationTimeSpan = TimeSpan.FromMinutes(1));
        builder.Services.AddMultiLayerOutputCacheStore();

        var app = builder.Build();
        app.UseOutputCache();
        app.MapGet("/products/{id}", (string id) => Results.Text($"product {id} run {runs.Next("products")}")).CacheOutput(p => p.Tag("products"));
        app.MapGet("/orders/{id}", (string id) => Results.Text($"order {id} run {runs.Next("orders")}")).CacheOutput(p => p.Tag("orders"));
        await app.StartAsync();
        return new OutputCacheApp(app, runs);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
