using Caching.Runtime.Tests.Infrastructure;
using Caching.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Caching.Runtime.Tests;

/// <summary>DESIGN invariant 7: never KEYS. The server here has KEYS disabled; any use of it would fail the test.</summary>
public sealed class PatternAndTagTests : IAsyncLifetime
{
    private readonly RedisServer _redis = new("--rename-command", "KEYS", string.Empty);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task A_run_time_pattern_removes_exactly_the_matching_keys_among_tens_of_thousands_with_SCAN_and_UNLINK()
    {
        var prefix = CacheFactory.UniquePrefix("scan");
        await using var cache = CacheFactory.Create(_redis, prefix);
        await using var connection = await _redis.ConnectAsync();
        var database = connection.GetDatabase();
        var batch = database.CreateBatch();
        var writes = new List<Task>();
        for (var i = 0; i < 30_000; i++)
        {
            writes.Add(batch.StringSetAsync($"{prefix}:user:{i % 3000}:item:{i}", "x"));
        }

        batch.Execute();
        await Task.WhenAll(writes);
        await database.StringSetAsync($"{prefix}:users:list", "x");

        // Not a segment prefix ("user:1" is not followed by ':'), so only a SCAN can find what it names.
        var removedMany = await cache.InvalidatePatternAsync("user:1*");

        // user:1, user:10-19, user:100-199, user:1000-1999: 1,111 users with 10 items each.
        Assert.Equal(1111 * 10, removedMany);
        Assert.False(await database.KeyExistsAsync($"{prefix}:user:1:item:1"));
        Assert.True(await database.KeyExistsAsync($"{prefix}:user:8:item:8"));
        Assert.True(await database.KeyExistsAsync($"{prefix}:users:list"));
        var stats = (string)(await _redis.ExecuteAsync("INFO", "commandstats"))!;
        Assert.Contains("cmdstat_scan", stats, StringComparison.Ordinal);
        Assert.Contains("cmdstat_unlink", stats, StringComparison.Ordinal);
        Assert.DoesNotContain("cmdstat_keys", stats, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_segment_prefix_pattern_voids_exactly_its_entries_on_every_node_without_a_SCAN()
    {
        var prefix = CacheFactory.UniquePrefix("prefix");
        await using var cache = CacheFactory.Create(_redis, prefix);
        await using var other = CacheFactory.Create(_redis, prefix);
        await using var fresh = CacheFactory.Create(_redis, prefix, o => o.LocalEnabled = false);
        for (var i = 0; i < 30; i++)
        {
            await cache.SetAsync($"user:{i % 3}:item:{i}", "v" + i);
        }

        await cache.SetAsync("user:70:item:0", "not under user:7:");
        await cache.SetAsync("user:7", "no trailing segment");
        Assert.True((await other.GetAsync<string>("user:1:item:1")).Found);
        var scansBefore = await ScanCallsAsync();

        var removed = await cache.InvalidatePatternAsync("user:1:*");

        Assert.Equal(0, removed);
        Assert.Equal(scansBefore, await ScanCallsAsync());
        await Eventually.HoldsAsync(async () => !(await other.GetAsync<string>("user:1:item:1")).Found, TimeSpan.FromSeconds(2), "the other node dropping its L1 copy");
        foreach (var node in new[] { cache, other, fresh })
        {
            for (var i = 0; i < 30; i++)
            {
                Assert.Equal(i % 3 != 1, (await node.GetAsync<string>($"user:{i % 3}:item:{i}")).Found);
            }

            Assert.True((await node.GetAsync<string>("user:70:item:0")).Found);
            Assert.True((await node.GetAsync<string>("user:7")).Found);
        }

        // A value stored after the invalidation is a normal entry again.
        await cache.SetAsync("user:1:item:1", "new");
        Assert.Equal("new", (await fresh.GetAsync<string>("user:1:item:1")).Value);
    }

    [Fact]
    public async Task An_instance_of_an_indexed_shape_voids_exactly_its_entries_on_every_node_without_a_SCAN()
    {
        var prefix = CacheFactory.UniquePrefix("indexed");
        void Shapes(MultiLayerCacheOptions o) => o.IndexedPatterns.Add("tenant:{tenant}:user:*:avatar");
        await using var cache = CacheFactory.Create(_redis, prefix, Shapes);
        await using var other = CacheFactory.Create(_redis, prefix, Shapes);
        var keys = new List<string>();
        for (var tenant = 1; tenant <= 2; tenant++)
        {
            for (var user = 0; user < 5; user++)
            {
                keys.Add($"tenant:{tenant}:user:{user}:avatar");
                keys.Add($"tenant:{tenant}:user:{user}:profile");
            }
        }

        keys.Add("tenant:1:user:9:avatar:small");
        keys.Add("tenant:10:user:1:avatar");
        foreach (var key in keys)
        {
            await cache.SetAsync(key, "v:" + key);
            Assert.True((await other.GetAsync<string>(key)).Found);
        }

        var scansBefore = await ScanCallsAsync();

        var removed = await cache.InvalidatePatternAsync("tenant:1:user:*:avatar");

        Assert.Equal(0, removed);
        Assert.Equal(scansBefore, await ScanCallsAsync());
        await Eventually.HoldsAsync(async () => !(await other.GetAsync<string>("tenant:1:user:0:avatar")).Found, TimeSpan.FromSeconds(2), "the other node dropping its L1 copy");

        // A node that starts after the invalidation finds the entries in Redis and the mark beside them.
        await using var fresh = CacheFactory.Create(_redis, prefix, Shapes);
        foreach (var node in new[] { cache, other, fresh })
        {
            foreach (var key in keys)
            {
                var gone = key.StartsWith("tenant:1:user:", StringComparison.Ordinal) && key.EndsWith(":avatar", StringComparison.Ordinal);
                Assert.True(gone != (await node.GetAsync<string>(key)).Found, key);
            }
        }

        await cache.SetAsync("tenant:1:user:0:avatar", "new");
        Assert.Equal("new", (await fresh.GetAsync<string>("tenant:1:user:0:avatar")).Value);
    }

    [Fact]
    public async Task Shapes_registered_in_the_container_index_the_patterns_of_the_cache_it_builds()
    {
        var prefix = CacheFactory.UniquePrefix("indexed-di");
        var services = new ServiceCollection();
        services.AddIndexedCachePatterns("user:*:avatar");
        services.AddMultiLayerCache(CacheFactory.Options(_redis, prefix));
        await using var provider = services.BuildServiceProvider();
        var cache = provider.GetRequiredService<MultiLayerCache>();
        await cache.ProbeRedisAsync();
        await cache.SetAsync("user:1:avatar", "a");
        await cache.SetAsync("user:1:name", "n");
        var scansBefore = await ScanCallsAsync();

        await cache.InvalidatePatternAsync("user:*:avatar");

        Assert.Equal(scansBefore, await ScanCallsAsync());
        Assert.False((await cache.GetAsync<string>("user:1:avatar")).Found);
        Assert.True((await cache.GetAsync<string>("user:1:name")).Found);

        // Not a registered shape: still correct, by SCAN.
        await cache.InvalidatePatternAsync("user:*:name");
        Assert.True(await ScanCallsAsync() > scansBefore);
        Assert.False((await cache.GetAsync<string>("user:1:name")).Found);
    }

    [Fact]
    public void A_shape_registered_in_the_container_that_cannot_be_indexed_stops_the_cache_naming_it()
    {
        var services = new ServiceCollection();
        services.AddMultiLayerCache(CacheFactory.Options(null, "bad-shape"));
        services.AddIndexedCachePatterns("user:{id}*");
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<CacheConfigurationException>(() => provider.GetRequiredService<MultiLayerCache>());

        Assert.Contains("'user:{id}*'", error.Message, StringComparison.Ordinal);
    }

    private Task<long> ScanCallsAsync() => _redis.CommandCallsAsync("scan");

    [Fact]
    public async Task A_value_cannot_widen_a_pattern()
    {
        var prefix = CacheFactory.UniquePrefix("widen");
        await using var cache = CacheFactory.Create(_redis, prefix);
        string Key(string userId)
        {
            var builder = new CacheKeyBuilder(stackalloc char[64]);
            builder.AppendLiteral("user:");
            builder.AppendValue(userId);
            builder.AppendLiteral(":profile");
            return builder.ToStringAndClear();
        }

        await cache.SetAsync(Key("1"), "one");
        await cache.SetAsync(Key("2"), "two");
        var evil = new CacheKeyBuilder(stackalloc char[64]);
        evil.AppendLiteral("user:");
        evil.AppendValue("*");
        evil.AppendLiteral(":*");

        var removed = await cache.InvalidatePatternAsync(evil.ToStringAndClear());

        Assert.Equal(0, removed);
        Assert.True((await cache.GetAsync<string>(Key("1"))).Found);
        Assert.True((await cache.GetAsync<string>(Key("2"))).Found);
    }

    [Fact]
    public async Task RemoveByTag_removes_exactly_the_tagged_entries()
    {
        var prefix = CacheFactory.UniquePrefix("tags");
        await using var cache = CacheFactory.Create(_redis, prefix);
        await using var other = CacheFactory.Create(_redis, prefix, o => o.LocalEnabled = false);
        for (var i = 0; i < 1500; i++)
        {
            var tags = i % 3 == 0 ? new[] { "tenant:a" } : ["tenant:b"];
            await cache.SetAsync("doc:" + i, "v" + i, new CacheEntryOptions { Tags = tags });
        }

        var removed = await cache.RemoveByTagAsync("tenant:a");

        // A tag is one mark: nothing is walked or deleted, the tagged entries are void on every node.
        Assert.Equal(0, removed);
        Assert.False((await cache.GetAsync<string>("doc:0")).Found);
        Assert.False((await other.GetAsync<string>("doc:3")).Found);
        Assert.True((await cache.GetAsync<string>("doc:1")).Found);
        Assert.True((await other.GetAsync<string>("doc:2")).Found);
        await using var connection = await _redis.ConnectAsync();
        var server = connection.GetServer(connection.GetEndPoints()[0]);
        Assert.Empty(server.Keys(pattern: prefix + ":__tag*").ToList());
        Assert.Single(server.Keys(pattern: prefix + ":__mark:*").ToList());
    }

    [Fact]
    public async Task Invalid_patterns_are_rejected_with_a_reason_and_change_nothing()
    {
        await using var cache = CacheFactory.Create(_redis, CacheFactory.UniquePrefix("badpattern"));
        await cache.SetAsync("a", "1");

        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await cache.InvalidatePatternAsync("user:[0-9]*"));

        Assert.Contains("'['", error.Message, StringComparison.Ordinal);
        Assert.True((await cache.GetAsync<string>("a")).Found);
    }
}
