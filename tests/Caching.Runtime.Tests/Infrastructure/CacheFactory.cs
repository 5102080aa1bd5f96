using Caching.Testing;
using Microsoft.Extensions.Logging;

namespace Caching.Runtime.Tests.Infrastructure;

/// <summary>Builds caches ("pods") that share one real Redis and one key prefix per test.</summary>
internal static class CacheFactory
{
    public static MultiLayerCacheOptions Options(RedisServer? redis, string prefix, Action<MultiLayerCacheOptions>? configure = null)
    {
        var options = new MultiLayerCacheOptions
        {
            KeyPrefix = prefix,
            RedisEnabled = redis is not null,
            RedisConnection = redis?.ConnectionString ?? "127.0.0.1:1",
            RedisTimeout = TimeSpan.FromMilliseconds(500),
            BreakerDuration = TimeSpan.FromMilliseconds(500),
        };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>Creates a pod and waits for its first Redis connection, as the host's startup probe does in an application.</summary>
    public static MultiLayerCache Create(RedisServer? redis, string prefix, Action<MultiLayerCacheOptions>? configure = null, ILogger<MultiLayerCache>? logger = null)
    {
        var cache = new MultiLayerCache(Options(redis, prefix, configure), logger);
        if (redis is not null && redis.IsRunning)
        {
            cache.ProbeRedisAsync().AsTask().GetAwaiter().GetResult();
        }

        return cache;
    }

    public static string UniquePrefix(string name) => name + "-" + Guid.NewGuid().ToString("N")[..8];
}
