using System.Security.Claims;
using System.Text.Encodings.Web;
using Caching.Testing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Caching.AspNetCore.Tests.Infrastructure;

/// <summary>
/// One application instance ("pod") on TestServer with its own L1 and a real Redis shared with the other pods of the
/// same test (same key prefix). <see cref="Runs"/> counts how often each endpoint really ran.
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key";

    private readonly WebApplication _app;

    private TestApp(WebApplication app, EndpointRuns runs)
    {
        _app = app;
        Runs = runs;
        Client = app.GetTestClient();
    }

    public HttpClient Client { get; }

    public EndpointRuns Runs { get; }

    public Gate Gate => _app.Services.GetRequiredService<Gate>();

    public IMultiLayerCache Cache => _app.Services.GetRequiredService<IMultiLayerCache>();

    public static async Task<TestApp> StartAsync(RedisServer? redis, string prefix, int maxValueBytes = 64 * 1024, EndpointRuns? runs = null)
    {
        runs ??= new EndpointRuns();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(runs);
        builder.Services.AddSingleton<Gate>();
        builder.Services.AddMultiLayerCache(new MultiLayerCacheOptions
        {
            KeyPrefix = prefix,
            RedisEnabled = redis is not null,
            RedisConnection = redis?.ConnectionString ?? "127.0.0.1:1",
            RedisTimeout = TimeSpan.FromMilliseconds(500),
        });
        builder.Services.AddMultiLayerResponseCache(o => o.MaxValueBytes = maxValueBytes);
        builder.Services.AddAuthentication(TestAuthHandler.SchemeName).AddScheme<AuthenticationSchemeOptions, TestAuthHandler>(TestAuthHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder().AddPolicy("cache-admin", p => p.RequireRole("cache-admin"));
        builder.Services.AddControllers().AddApplicationPart(typeof(TestApp).Assembly);

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use((context, next) =>
        {
            // Counted before the cache sees the request, so a test can wait until every request of a burst is in.
            runs.Next("arrived");
            if (context.Request.Path == "/outer-cookie")
            {
                // A middleware outside the cache that adds a cookie as the response starts (a session refresh).
                context.Response.OnStarting(() =>
                {
                    context.Response.Cookies.Append("outer", "set-as-it-starts");
                    return Task.CompletedTask;
                });
            }

            return next(context);
        });
        app.UseMultiLayerResponseCache();
        MapEndpoints(app, runs);
        app.MapControllers();
        app.MapCacheInvalidation().RequireAuthorization("cache-admin");
        await app.StartAsync();
        return new TestApp(app, runs);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static void MapEndpoints(WebApplication app, EndpointRuns runs)
    {
        var ttl = TimeSpan.FromMinutes(1);
        app.MapGet("/items/{id}", (string id) => Results.Json(new { id, run = runs.Next("items") })).CacheResponse(ttl);
        app.MapGet("/honoring/{id}", (string id) => Results.Json(new { id, run = runs.Next("honoring") })).CacheResponse(ttl, p => p.HonorClientCacheControl());
        app.MapMethods("/both/{id}", ["GET", "HEAD"], (string id) => Results.Text($"both {id} run {runs.Next("both")}")).CacheResponse(ttl);
        app.MapGet("/query", (HttpRequest r) => Results.Text($"{r.QueryString} run {runs.Next("query")}")).CacheResponse(ttl);
        app.MapPost("/items", () => Results.Text($"created run {runs.Next("post")}")).CacheResponse(ttl);
        app.MapGet("/missing", () => { runs.Next("missing"); return Results.NotFound(); }).CacheResponse(ttl);
        app.MapGet("/error", () => Results.Problem($"failed run {runs.Next("error")}", statusCode: 500)).CacheResponse(ttl);
        app.MapGet("/cookie", (HttpResponse response) =>
        {
            response.Cookies.Append("session", "abc");
            return Results.Text($"cookie run {runs.Next("cookie")}");
        }).CacheResponse(ttl);
        app.MapGet("/private", (HttpResponse response) =>
        {
            response.Headers.CacheControl = "private, max-age=60";
            return Results.Text($"private run {runs.Next("private")}");
        }).CacheResponse(ttl);
        app.MapGet("/nostore", (HttpResponse response) =>
        {
            response.Headers.CacheControl = "no-store";
            return Results.Text($"nostore run {runs.Next("nostore")}");
        }).CacheResponse(ttl);
        app.MapGet("/vary", (HttpRequest request, HttpResponse response) =>
        {
            response.Headers.Vary = "Accept-Language";
            return Results.Text($"{request.Headers.AcceptLanguage} run {runs.Next("vary")}");
        }).CacheResponse(ttl);
        app.MapGet("/vary-covered", (HttpRequest request, HttpResponse response) =>
        {
            response.Headers.Vary = "Accept-Language";
            return Results.Text($"{request.Headers.AcceptLanguage} run {runs.Next("vary-covered")}");
        }).CacheResponse(ttl, p => p.VaryByHeader("Accept-Language"));
        app.MapGet("/me", (ClaimsPrincipal user) => Results.Text($"{user.Identity?.Name} run {runs.Next("me")}"))
            .CacheResponse(ttl, p => p.PerUser(ClaimTypes.Name));
        app.MapGet("/own-etag", (HttpResponse response) =>
        {
            response.Headers.ETag = "\"v7\"";
            return Results.Text($"own run {runs.Next("own-etag")}");
        }).CacheResponse(ttl);
        app.MapGet("/tagged/{id}", (string id) => Results.Text($"tagged {id} run {runs.Next("tagged")}")).CacheResponse(ttl, p => p.Tag("catalog"));
        app.MapGet("/custom/{id}", (string id) => Results.Text($"custom {id} run {runs.Next("custom")}"))
            .CacheResponse(ttl, p => p.Key(c => (string?)c.Request.RouteValues["id"] == "skip" ? null : "custom-fixed"));
        app.MapGet("/secret-header", (HttpResponse response) =>
        {
            var run = runs.Next("secret-header");
            response.Headers["X-Session-Token"] = "token-of-run-" + run;
            response.Headers["Content-Language"] = "en";
            return Results.Text($"secret-header run {run}");
        }).CacheResponse(ttl);
        app.MapGet("/late-cookie", (HttpResponse response) =>
        {
            var run = runs.Next("late-cookie");

            // As session, antiforgery or cookie-auth refresh do: the cookie joins the response as it starts.
            response.OnStarting(() =>
            {
                response.Cookies.Append("session", "of-run-" + run);
                return Task.CompletedTask;
            });
            return Results.Text($"late-cookie run {run}");
        }).CacheResponse(ttl);
        app.MapGet("/outer-cookie", () => Results.Text($"outer-cookie run {runs.Next("outer-cookie")}")).CacheResponse(ttl);
        app.MapGet("/stored-extra", (HttpResponse response) =>
        {
            var run = runs.Next("stored-extra");
            response.Headers["X-Build"] = "build-7";
            response.Headers["X-Session-Token"] = "token-of-run-" + run;
            return Results.Text($"stored-extra run {run}");
        }).CacheResponse(ttl, p => p.StoreHeader("X-Build"));
        app.MapGet("/slow/{id}", async (string id, Gate gate) =>
        {
            var run = runs.Next("slow");
            await gate.WaitAsync();
            return Results.Text($"slow {id} run {run}");
        }).CacheResponse(ttl);
        app.MapGet("/slow-cookie", async (HttpResponse response, Gate gate) =>
        {
            var run = runs.Next("slow-cookie");
            response.OnStarting(() =>
            {
                response.Cookies.Append("session", "of-run-" + run);
                return Task.CompletedTask;
            });
            await gate.WaitAsync();
            return Results.Text($"slow-cookie run {run}");
        }).CacheResponse(ttl);
        app.MapMethods("/slow-both/{id}", ["GET", "HEAD"], async (string id, HttpRequest request, Gate gate) =>
        {
            var run = runs.Next("slow-both");
            await gate.WaitAsync(id);
            return Results.Text($"slow-both {id} run {run} as {request.Method}");
        }).CacheResponse(ttl);
        app.MapGet("/big", async (HttpResponse response, int size, Gate gate) =>
        {
            runs.Next("big");
            response.ContentType = "application/octet-stream";
            var chunk = new byte[8 * 1024];
            for (var written = 0; written < size; written += chunk.Length)
            {
                if (written == size / 2)
                {
                    // Half-way, the endpoint waits until the client has read what was sent: impossible if it were buffered.
                    await gate.WaitAsync();
                }

                Array.Fill(chunk, (byte)(written / chunk.Length));
                await response.Body.WriteAsync(chunk.AsMemory(0, Math.Min(chunk.Length, size - written)));
            }
        }).CacheResponse(ttl);
    }
}

/// <summary>Counts endpoint executions, shared by the pods of a test.</summary>
public sealed class EndpointRuns
{
    private readonly Dictionary<string, int> _runs = [];
    private readonly Lock _lock = new();

    public int this[string name]
    {
        get
        {
            lock (_lock)
            {
                return _runs.GetValueOrDefault(name);
            }
        }
    }

    public int Next(string name)
    {
        lock (_lock)
        {
            return _runs[name] = _runs.GetValueOrDefault(name) + 1;
        }
    }
}

/// <summary>Lets endpoints pause until the test opens them (by name; "" for the default gate).</summary>
public sealed class Gate
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource> _gates = new();

    public Task WaitAsync(string name = "") => Get(name).Task.WaitAsync(TimeSpan.FromSeconds(30));

    public void Open(string name = "") => Get(name).TrySetResult();

    private TaskCompletionSource Get(string name) => _gates.GetOrAdd(name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}

/// <summary>
/// Authenticates "Authorization: Test name[,role]" so tests can send real credentials; anything else is anonymous.
/// </summary>
public sealed class TestAuthHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Test";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith(SchemeName + " ", StringComparison.Ordinal))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var parts = header[(SchemeName.Length + 1)..].Split(',');
        var claims = new List<Claim> { new(ClaimTypes.Name, parts[0]) };
        claims.AddRange(parts.Skip(1).Select(r => new Claim(ClaimTypes.Role, r)));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName)));
    }
}

/// <summary>A controller whose action is cached through the attribute.</summary>
[ApiController]
[Route("/controller")]
public sealed class CachedController(EndpointRuns runs) : ControllerBase
{
    [HttpGet("{id}")]
    [CacheResponse("1m", LocalTtl = "30s")]
    public string Get(string id) => $"controller {id} run {runs.Next("controller")}";
}
