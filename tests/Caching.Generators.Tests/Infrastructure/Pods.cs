using Caching.Testing;

namespace Caching.Generators.Tests.Infrastructure;

/// <summary>Caches ("pods") sharing one real Redis and a key prefix unique to the test.</summary>
internal static class Pods
{
    public static MultiLayerCacheOptions Options(RedisServer? redis, string prefix) => new()
    {
        KeyPrefix = prefix,
        RedisEnabled = redis is not null,
        RedisConnection = redis?.ConnectionString ?? "127.0.0.1:1",
        RedisTimeout = TimeSpan.FromSeconds(2),
    };

    public static async Task<MultiLayerCache> CreateAsync(RedisServer? redis, string prefix)
    {
        var cache = new MultiLayerCache(Options(redis, prefix));
        if (redis is not null)
        {
            Assert.True(await cache.ProbeRedisAsync(), "the pod could not reach the test's redis-server");
        }

        return cache;
    }

    public static string UniquePrefix(string name) => name + "-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Polls until <paramref name="condition"/> holds (the backplane delivers invalidations asynchronously).</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("Timed out waiting for " + what);
            }

            await Task.Delay(20);
        }
    }
}

/// <summary>One redis-server for a test class.</summary>
public sealed class RedisFixture : IDisposable
{
    public RedisServer Server { get; } = new();

    public void Dispose() => Server.Dispose();
}
