using Caching.Runtime.Tests.Infrastructure;
using StackExchange.Redis;

namespace Caching.Runtime.Tests;

/// <summary>
/// A cache used the moment it is constructed, with no host start to wait for it (a console app, a bare container):
/// its first writes and loads must reach Redis like any later ones. Before its clock follows Redis's, a store that
/// the first calibration crosses belongs to an old era and is dropped (CI failed twice on tests that did this).
/// Many fresh caches against a real redis-server, each written at once.
/// </summary>
public sealed class FirstCallTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task The_first_SetAsync_and_GetOrSetAsync_of_a_new_cache_reach_Redis()
    {
        await using var reader = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.ConnectionString);
        var missing = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var options = CacheFactory.Options(fixture.Redis, CacheFactory.UniquePrefix("first"));
            await using (var cache = new MultiLayerCache(options))
            {
                await cache.SetAsync("set", "v" + i);
                await cache.GetOrSetAsync("loaded", _ => new ValueTask<string>("l" + i));
            }

            foreach (var key in new[] { "set", "loaded" })
            {
                if (!await reader.GetDatabase().KeyExistsAsync(options.KeyPrefix + ":" + key))
                {
                    missing.Add($"cache {i}: {key}");
                }
            }
        }

        Assert.True(missing.Count == 0, "not in Redis: " + string.Join(", ", missing));
    }
}
