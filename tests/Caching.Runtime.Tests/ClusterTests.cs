using Caching.Runtime.Tests.Infrastructure;
using Caching.Testing;
using StackExchange.Redis;

namespace Caching.Runtime.Tests;

public sealed class ClusterFixture : IAsyncLifetime
{
    public RedisCluster Cluster { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Cluster = new RedisCluster(primaries: 3);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>Everything the runtime does on Redis works on a 3-primary Redis Cluster: slots, SCAN per primary, pub/sub.</summary>
public sealed class ClusterTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private MultiLayerCache Pod(string prefix, bool local = true)
    {
        var options = new MultiLayerCacheOptions
        {
            KeyPrefix = prefix,
            RedisConnection = fixture.Cluster.ConnectionString,
            LocalEnabled = local,
            RedisTimeout = TimeSpan.FromSeconds(2),
        };
        options.IndexedPatterns.Add("user:*:item:{parity}");
        return Probe(new MultiLayerCache(options));
    }

    [Fact]
    public async Task Values_spread_over_every_primary_and_are_read_back()
    {
        var prefix = CacheFactory.UniquePrefix("cl-rw");
        await using var writer = Pod(prefix);
        await using var reader = Pod(prefix, local: false);
        for (var i = 0; i < 300; i++)
        {
            await writer.SetAsync("item:" + i, i);
        }

        for (var i = 0; i < 300; i++)
        {
            Assert.Equal(new CacheResult<int>(true, i, CacheTier.Redis), await reader.GetAsync<int>("item:" + i));
        }

        foreach (var node in fixture.Cluster.Nodes)
        {
            var keys = (long)(await node.ExecuteAsync("DBSIZE"));
            Assert.True(keys > 0, $"primary {node.Endpoint} holds none of the keys");
        }
    }

    [Fact]
    public async Task A_run_time_pattern_scans_every_primary_and_unlinks_across_slots()
    {
        var prefix = CacheFactory.UniquePrefix("cl-scan");
        await using var cache = Pod(prefix);
        for (var i = 0; i < 600; i++)
        {
            await cache.SetAsync($"user:{i % 2}:item:{i}", "x");
        }

        // '?' makes it a pattern no scope stands for: SCAN on every primary, UNLINK grouped by slot.
        var removed = await cache.InvalidatePatternAsync("user:1:item:?*");

        Assert.Equal(300, removed);
        Assert.False((await cache.GetAsync<string>("user:1:item:1")).Found);
        Assert.True((await cache.GetAsync<string>("user:0:item:0", new CacheEntryOptions { SkipLocal = true })).Found);
    }

    [Fact]
    public async Task A_segment_prefix_pattern_is_one_mark_whose_entries_live_in_other_slots()
    {
        var prefix = CacheFactory.UniquePrefix("cl-prefix");
        await using var podA = Pod(prefix);
        await using var reader = Pod(prefix, local: false);
        for (var i = 0; i < 600; i++)
        {
            await podA.SetAsync($"user:{i % 2}:item:{i}", "x");
        }

        var removed = await podA.InvalidatePatternAsync("user:1:*");

        Assert.Equal(0, removed);
        for (var i = 0; i < 600; i += 7)
        {
            Assert.Equal(i % 2 == 0, (await reader.GetAsync<string>($"user:{i % 2}:item:{i}")).Found);
        }
    }

    [Fact]
    public async Task An_indexed_shape_is_one_mark_whose_entries_live_in_other_slots_and_no_primary_is_scanned()
    {
        var prefix = CacheFactory.UniquePrefix("cl-indexed");
        await using var podA = Pod(prefix);
        await using var reader = Pod(prefix, local: false);
        for (var i = 0; i < 600; i++)
        {
            await podA.SetAsync($"user:{i}:item:{i % 2}", "x");
        }

        var scansBefore = await ScansAsync();

        var removed = await podA.InvalidatePatternAsync("user:*:item:1");

        Assert.Equal(0, removed);
        Assert.Equal(scansBefore, await ScansAsync());
        for (var i = 0; i < 600; i += 7)
        {
            Assert.Equal(i % 2 == 0, (await reader.GetAsync<string>($"user:{i}:item:{i % 2}")).Found);
            Assert.Equal(i % 2 == 0, (await podA.GetAsync<string>($"user:{i}:item:{i % 2}")).Found);
        }
    }

    /// <summary>SCAN calls summed over every primary (INFO commandstats on each).</summary>
    private async Task<long> ScansAsync()
    {
        await using var connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(fixture.Cluster.ConnectionString);
        long total = 0;
        foreach (var endpoint in connection.GetEndPoints())
        {
            var server = connection.GetServer(endpoint);
            if (server.IsReplica)
            {
                continue;
            }

            var stats = (string)(await server.ExecuteAsync("INFO", "commandstats"))!;
            var line = stats.Split('\n').FirstOrDefault(l => l.StartsWith("cmdstat_scan:", StringComparison.Ordinal));
            total += line is null ? 0 : long.Parse(line.Split("calls=")[1].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture);
        }

        return total;
    }

    [Fact]
    public async Task Tags_and_the_backplane_work_across_slots_and_nodes()
    {
        var prefix = CacheFactory.UniquePrefix("cl-tag");
        await using var podA = Pod(prefix);
        await using var podB = Pod(prefix);
        for (var i = 0; i < 200; i++)
        {
            await podA.SetAsync("doc:" + i, i, new CacheEntryOptions { Tags = [i % 2 == 0 ? "even" : "odd"] });
        }

        await Task.Delay(300);
        for (var i = 0; i < 200; i++)
        {
            Assert.True((await podB.GetAsync<int>("doc:" + i)).Found);
        }

        var removed = await podA.RemoveByTagAsync("even");

        Assert.Equal(0, removed);
        await Eventually.HoldsAsync(async () => !(await podB.GetAsync<int>("doc:0")).Found, TimeSpan.FromSeconds(3), "the tag invalidation reaching pod B");
        Assert.True((await podB.GetAsync<int>("doc:1")).Found);
        Assert.False((await podB.GetAsync<int>("doc:198")).Found);
    }

    private static MultiLayerCache Probe(MultiLayerCache cache)
    {
        cache.ProbeRedisAsync().AsTask().GetAwaiter().GetResult();
        return cache;
    }
}
