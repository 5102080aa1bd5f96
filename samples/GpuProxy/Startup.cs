using GpuProxy.Data;

namespace GpuProxy;

/// <summary>What Program.cs says at startup.</summary>
internal static partial class Startup
{
    public const string CacheAdminPolicy = "cache-admin";

    public const string Index = """
        GpuProxy: the caching framework's sample service.
          GET  /api/gpu/instances[?region=&model=]   available instances (cached by the HTTP middleware; see X-Cache)
          GET  /api/gpu/instances/{id}               one instance (cached by the generated IGpuService decorator)
          POST /api/gpu/instances                    create   PUT /api/gpu/instances/{id}   update
          GET  /api/users/{id}/profile               profile (decorator)   PUT to update   GET /api/users/{id}/credits
          GET  /api/models[?vendor=]                 GPU model catalog (HTTP middleware)
          GET  /api/search?q=h100[&region=]          available instances whose name or model contains q (CacheKeyGen.Query keys)
          POST /api/cache/invalidate                 {"pattern":"..."} or {"tag":"..."} with X-Api-Key
          POST /api/admin/reset                      back to the seeded data, cache dropped (X-Api-Key)
          GET  /health   GET /metrics
        """;

    public static void LogSettings(WebApplication app, GpuDatabase database, string? adminKey)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("GpuProxy");
        var cache = app.Services.GetRequiredService<Caching.MultiLayerCacheOptions>();
        var latency = app.Services.GetRequiredService<SourceLatency>();
        LogStarting(logger, database.Path, latency.ToString(), cache.RedisEnabled ? Redacted(cache.RedisConnection) : "(disabled)", cache.KeyPrefix);
        if (string.IsNullOrEmpty(adminKey))
        {
            LogNoAdminKey(logger);
        }
    }

    /// <summary>The Redis configuration string without its password (and user name), fit for a log.</summary>
    /// <param name="connection">A StackExchange.Redis configuration string.</param>
    public static string Redacted(string connection)
    {
        try
        {
            var options = StackExchange.Redis.ConfigurationOptions.Parse(connection, ignoreUnknown: true);
            options.User = null;
            return options.ToString(includePassword: false);
        }
        catch (ArgumentException)
        {
            // Unparseable text may still hold a secret: say only that it is there.
            return "(unparseable configuration string, not shown)";
        }
    }

    [LoggerMessage(1, LogLevel.Information, "GpuProxy: database {Path}, source latency {Latency}, Redis {Redis}, key prefix '{Prefix}'.")]
    private static partial void LogStarting(ILogger logger, string path, string latency, string redis, string prefix);

    [LoggerMessage(2, LogLevel.Warning, "No cache admin key (CACHE_ADMIN_API_KEY or Cache:AdminApiKey): POST /api/cache/invalidate refuses every call.")]
    private static partial void LogNoAdminKey(ILogger logger);
}
