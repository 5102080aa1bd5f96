using System.Diagnostics;
using Caching.Runtime.Tests.Infrastructure;
using Caching.Testing;

namespace Caching.Runtime.Tests;

/// <summary>
/// One regression test per finding of issue 8 (invalidation under concurrency), each against real redis-server
/// processes. Every one of them failed on the code before the invalidation rework.
/// </summary>
[Collection(TimingSensitive.Name)]
public sealed class InvalidationFindingsTests(RedisFixture fixture, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<RedisFixture>
{
    private static readonly CacheEntryOptions Tagged = new() { Tags = ["tenant:1"] };

    /// <summary>Finding 1: a read during an invalidation refilled L1 with the old value, served after the call returned.</summary>
    [Theory]
    [InlineData("user:?:profile")]
    [InlineData("user:1:*")]
    public async Task F1_reads_during_an_invalidation_never_leave_the_old_value_behind_on_the_issuing_node(string pattern)
    {
        await using var redis = new RedisServer();
        await redis.ExecuteAsync("DEBUG", "POPULATE", 300_000, "unrelated", 10);
        var prefix = CacheFactory.UniquePrefix("f1");
        await using var writer = CacheFactory.Create(redis, prefix);
        await using var node = CacheFactory.Create(redis, prefix);
        await writer.SetAsync("user:1:profile", "old");

        using var reading = new CancellationTokenSource();
        var reader = Task.Run(async () =>
        {
            var reads = 0;
            while (!reading.IsCancellationRequested)
            {
                await node.GetAsync<string>("user:1:profile");
                reads++;
            }

            return reads;
        });
        await Task.Delay(20);
        await node.InvalidatePatternAsync(pattern);
        var afterReturn = await node.GetAsync<string>("user:1:profile");
        await reading.CancelAsync();
        var readsDuring = await reader;

        Assert.True(readsDuring > 0);
        Assert.False(afterReturn.Found, $"served '{afterReturn.Value}' from {afterReturn.Tier} after the invalidation returned");
        Assert.False((await node.GetAsync<string>("user:1:profile")).Found);
    }

    /// <summary>Finding 2: a cancelled invalidation was half applied: not queued, not published, part of Redis left.</summary>
    [Theory]
    [InlineData("user:?:profile")]
    [InlineData("user:1:*")]
    [InlineData("tag")]
    public async Task F2_a_caller_cancelling_ends_its_wait_but_the_invalidation_completes_everywhere(string target)
    {
        await using var redis = new RedisServer();
        await redis.ExecuteAsync("DEBUG", "POPULATE", 300_000, "unrelated", 10);
        var prefix = CacheFactory.UniquePrefix("f2");
        await using var issuer = CacheFactory.Create(redis, prefix);
        await using var other = CacheFactory.Create(redis, prefix);
        await issuer.SetAsync("user:1:profile", "old", Tagged);
        Assert.True((await other.GetAsync<string>("user:1:profile", Tagged)).Found);

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            if (target == "tag")
            {
                await issuer.RemoveByTagAsync("tenant:1", cancelled.Token);
            }
            else
            {
                await issuer.InvalidatePatternAsync(target, cancelled.Token);
            }
        });

        Assert.False((await issuer.GetAsync<string>("user:1:profile", Tagged)).Found);
        await Eventually.HoldsAsync(async () => !(await other.GetAsync<string>("user:1:profile", Tagged)).Found, TimeSpan.FromSeconds(5), "the other node dropping the value");
        await using var fresh = CacheFactory.Create(redis, prefix, o => o.LocalEnabled = false);
        Assert.False((await fresh.GetAsync<string>("user:1:profile", Tagged)).Found);
        Assert.Equal(0, issuer.PendingInvalidations);
    }

    /// <summary>Finding 3: a value over 512 characters turned the pattern into an exact delete of a key that did not exist.</summary>
    [Fact]
    public async Task F3_a_pattern_built_from_a_very_long_value_still_invalidates_its_keys_on_every_node()
    {
        var prefix = CacheFactory.UniquePrefix("f3");
        await using var nodeA = CacheFactory.Create(fixture.Redis, prefix);
        await using var nodeB = CacheFactory.Create(fixture.Redis, prefix);
        var query = new string('q', 2_000);
        string Build(string suffix)
        {
            var builder = new CacheKeyBuilder(stackalloc char[128]);
            builder.AppendLiteral("search:");
            builder.AppendValue(query);
            builder.AppendLiteral(suffix);
            return builder.ToStringAndClear();
        }

        var key = Build(":page");
        await nodeA.SetAsync(key, "results");
        Assert.True((await nodeB.GetAsync<string>(key)).Found);

        await nodeA.InvalidatePatternAsync(Build(":*"));

        Assert.EndsWith(":*", Build(":*"), StringComparison.Ordinal);
        Assert.False((await nodeA.GetAsync<string>(key)).Found);
        await Eventually.HoldsAsync(async () => !(await nodeB.GetAsync<string>(key)).Found, TimeSpan.FromSeconds(2), "node B dropping the long key");
    }

    /// <summary>Finding 4: tag sets only grew, and a member added during RemoveByTag lost its tag for good.</summary>
    [Fact]
    public async Task F4_tags_keep_no_per_write_state_in_Redis_and_a_write_during_a_tag_removal_keeps_its_tag()
    {
        var prefix = CacheFactory.UniquePrefix("f4");
        await using var cache = CacheFactory.Create(fixture.Redis, prefix);
        var options = new CacheEntryOptions { Tags = ["hot"] };
        for (var i = 0; i < 2_000; i++)
        {
            await cache.SetAsync("doc:" + (i % 10), i, options);
        }

        await using var connection = await fixture.Redis.ConnectAsync();
        var server = connection.GetServer(connection.GetEndPoints()[0]);
        Assert.Equal(10, server.Keys(pattern: prefix + ":doc:*").Count());
        Assert.Empty(server.Keys(pattern: prefix + ":__tag*"));

        using var stop = new CancellationTokenSource();
        var writing = Task.Run(async () =>
        {
            var i = 0;
            while (!stop.IsCancellationRequested)
            {
                await cache.SetAsync("during:" + (i++ % 50), i, options);
            }
        });
        for (var round = 0; round < 20; round++)
        {
            await cache.RemoveByTagAsync("hot");
        }

        await stop.CancelAsync();
        await writing;
        await cache.SetAsync("after", 1, options);
        Assert.True((await cache.GetAsync<int>("after", options)).Found);

        await cache.RemoveByTagAsync("hot");

        await using var fresh = CacheFactory.Create(fixture.Redis, prefix, o => o.LocalEnabled = false);
        Assert.False((await fresh.GetAsync<int>("after", options)).Found);
        for (var i = 0; i < 50; i++)
        {
            Assert.False((await fresh.GetAsync<int>("during:" + i, options)).Found);
        }

        Assert.Empty(server.Keys(pattern: prefix + ":__tag*"));
    }

    /// <summary>Finding 5: the replay queue was unbounded, not de-duplicated, blocked forever by NOPERM, and logged each entry.</summary>
    [Fact]
    public async Task F5_the_replay_queue_is_deduplicated_bounded_and_logged_once_per_outage()
    {
        await using var redis = new RedisServer();
        var logger = new ListLogger<MultiLayerCache>();
        var prefix = CacheFactory.UniquePrefix("f5");
        await using var cache = CacheFactory.Create(redis, prefix, o =>
        {
            o.MaxPendingInvalidations = 100;
            o.RedisTimeout = TimeSpan.FromMilliseconds(200);
        }, logger);
        await cache.SetAsync("user:1:profile", "old");
        redis.Stop();

        for (var i = 0; i < 2_000; i++)
        {
            await cache.RemoveAsync("user:" + (i % 10) + ":profile");
        }

        Assert.InRange(cache.PendingInvalidations, 1, 10);
        for (var i = 0; i < 500; i++)
        {
            await cache.RemoveAsync("item:" + i);
        }

        // Past the bound: one invalidation of the whole prefix instead of 510 entries.
        Assert.Equal(1, cache.PendingInvalidations);
        Assert.Equal(1, logger.Entries.Count(e => e.Id.Id == 9));

        redis.Start();
        await Eventually.HoldsAsync(() => Task.FromResult(cache.PendingInvalidations == 0), TimeSpan.FromSeconds(10), "the queue draining after Redis returned");
        await using var fresh = CacheFactory.Create(redis, prefix, o => o.LocalEnabled = false);
        Assert.False((await fresh.GetAsync<string>("user:1:profile")).Found);
        Assert.True(logger.Has(10), "the replay is logged");
        Assert.Equal(1, logger.Entries.Count(e => e.Id.Id == 9));
    }

    /// <summary>Finding 5: a permanent error (an ACL that forbids SCAN) blocked the queue's head and so every Redis read after it.</summary>
    [Fact]
    public async Task F5_a_permanent_refusal_widens_the_invalidation_and_never_blocks_Redis()
    {
        await using var redis = new RedisServer();
        await redis.ExecuteAsync("ACL", "SETUSER", "noscan", "on", ">secret", "~*", "&*", "+@all", "-scan", "-keys");
        var logger = new ListLogger<MultiLayerCache>();
        var prefix = CacheFactory.UniquePrefix("f5p");
        var connection = redis.ConnectionString + ",user=noscan,password=secret";
        await using var cache = CacheFactory.Create(redis, prefix, o => o.RedisConnection = connection, logger);
        await using var reader = CacheFactory.Create(redis, prefix, o => o.LocalEnabled = false);
        await cache.SetAsync("user:1:profile", "old");
        await cache.SetAsync("other", "kept?");

        await cache.InvalidatePatternAsync("user:?:profile");

        Assert.Equal(0, cache.PendingInvalidations);
        Assert.True(logger.Has(15), "the refusal is logged");
        Assert.True(logger.Has(16), "the widening is logged");
        Assert.False((await reader.GetAsync<string>("user:1:profile")).Found);
        var calls = 0;
        Assert.Equal("fresh", await cache.GetOrSetAsync("user:1:profile", _ => ValueTask.FromResult("fresh" + (calls++ == 0 ? string.Empty : "!")), new CacheEntryOptions { SkipLocal = true }));
        Assert.Equal("fresh", await cache.GetOrSetAsync("user:1:profile", _ => ValueTask.FromResult("again"), new CacheEntryOptions { SkipLocal = true }));
        Assert.True(cache.Stats().RedisHits >= 1, "Redis is still read after the refusal");
    }

    /// <summary>Finding 6: a SetAsync whose value was not stored left the old value in place.</summary>
    [Theory]
    [InlineData("too-large")]
    [InlineData("skip-redis")]
    [InlineData("skip-local")]
    public async Task F6_a_set_that_cannot_store_its_value_removes_the_old_one_on_every_tier_and_node(string how)
    {
        var prefix = CacheFactory.UniquePrefix("f6");
        await using var writer = CacheFactory.Create(fixture.Redis, prefix, o => o.MaxValueBytes = 1_000);
        await using var other = CacheFactory.Create(fixture.Redis, prefix);
        await writer.SetAsync("k", "old");
        Assert.Equal("old", (await other.GetAsync<string>("k")).Value);

        switch (how)
        {
            case "too-large":
                await writer.SetAsync("k", new string('x', 5_000));
                Assert.False((await writer.GetAsync<string>("k")).Found);
                break;
            case "skip-redis":
                await writer.SetAsync("k", "new", new CacheEntryOptions { SkipRedis = true });
                Assert.Equal("new", (await writer.GetAsync<string>("k")).Value);
                break;
            default:
                await writer.SetAsync("k", "new", new CacheEntryOptions { SkipLocal = true });
                Assert.Equal("new", (await writer.GetAsync<string>("k")).Value);
                break;
        }

        await Eventually.HoldsAsync(async () => (await other.GetAsync<string>("k")).Value != "old", TimeSpan.FromSeconds(2), "the other node letting go of the old value");
        await using var fresh = CacheFactory.Create(fixture.Redis, prefix, o => o.LocalEnabled = false);
        Assert.NotEqual("old", (await fresh.GetAsync<string>("k")).Value);
    }

    /// <summary>Finding 7: every SetAsync recorded an invalidation, so a list of 5,000 items cached nothing.</summary>
    [Fact]
    public async Task F7_a_list_of_50_000_items_is_cached_with_every_item()
    {
        var prefix = CacheFactory.UniquePrefix("f7");
        var logger = new ListLogger<MultiLayerCache>();
        // This is about the invalidation bookkeeping, not about timeouts: a patient timeout keeps a busy CI machine's
        // pauses (a gen-2 collection during 50,000 stores) from opening the breaker.
        await using var cache = CacheFactory.Create(fixture.Redis, prefix, o =>
        {
            o.MaxValueBytes = 8 * 1024 * 1024;
            o.RedisTimeout = TimeSpan.FromSeconds(3);
        }, logger);
        var loads = 0;
        var items = Enumerable.Range(0, 50_000).Select(i => new Item(i, "item " + i)).ToArray();
        ValueTask<IReadOnlyList<Item>> Load(CancellationToken ct)
        {
            Interlocked.Increment(ref loads);
            return ValueTask.FromResult<IReadOnlyList<Item>>(items);
        }

        var first = await cache.CacheableListAsync("items:all", Load, item => "item:" + item.Id);
        var second = await cache.CacheableListAsync("items:all", Load, item => "item:" + item.Id);

        Assert.Equal(50_000, first.Count);
        Assert.Equal(50_000, second.Count);
        Assert.True(loads == 1, string.Join("\n", logger.Entries.Select(e => e.Id.Id + " " + e.Message).Take(20)));
        await using var fresh = CacheFactory.Create(fixture.Redis, prefix, o => o.LocalEnabled = false);
        for (var i = 0; i < 50_000; i += 997)
        {
            Assert.Equal(CacheTier.Local, (await cache.GetAsync<Item>("item:" + i)).Tier);
            Assert.Equal("item " + i, (await fresh.GetAsync<Item>("item:" + i)).Value!.Name);
        }
    }

    /// <summary>
    /// Bulk: an invalidation storm (keys, segment prefixes and tags; about 10,000 a second asked for) on one node, with
    /// loads in flight, leaves the hit rate of unrelated keys where it was: every read of them stays an L1 hit.
    /// </summary>
    [Fact]
    public async Task An_invalidation_storm_with_loads_in_flight_leaves_unrelated_keys_hit_rate_unchanged()
    {
        var prefix = CacheFactory.UniquePrefix("storm");
        await using var cache = CacheFactory.Create(fixture.Redis, prefix, o => o.RedisTimeout = TimeSpan.FromSeconds(3));
        var unrelated = Enumerable.Range(0, 200).Select(i => $"catalog:{i}:item").ToArray();
        var loads = 0;
        foreach (var key in unrelated)
        {
            await cache.GetOrSetAsync(key, _ => { Interlocked.Increment(ref loads); return ValueTask.FromResult(key); }, Tagged);
        }

        var loadsBefore = loads;
        var hitsBefore = cache.Stats().LocalHits;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var issued = 0;
        var storm = Task.Run(async () =>
        {
            var inFlight = new List<Task>();
            var clock = Stopwatch.StartNew();
            while (!stop.IsCancellationRequested)
            {
                // Paced at 10 per millisecond, at most 256 waiting for Redis.
                while (issued < clock.ElapsedMilliseconds * 10 && inFlight.Count < 256)
                {
                    var n = issued++;
                    inFlight.Add((n % 3) switch
                    {
                        0 => cache.RemoveAsync("user:" + n + ":profile").AsTask(),
                        1 => cache.InvalidatePatternAsync("user:" + n + ":*").AsTask(),
                        _ => cache.RemoveByTagAsync("order:" + n).AsTask(),
                    });
                }

                inFlight.RemoveAll(t => t.IsCompleted);
                await Task.Delay(1);
            }

            await Task.WhenAll(inFlight);
        });
        var slowLoads = Task.Run(async () =>
        {
            var n = 0;
            while (!stop.IsCancellationRequested)
            {
                await cache.GetOrSetAsync("user:" + (n++) + ":profile", async _ => { await Task.Delay(20); return "loaded"; });
            }
        });
        var reads = 0;
        var misses = 0;
        while (!stop.IsCancellationRequested)
        {
            foreach (var key in unrelated)
            {
                reads++;
                var value = await cache.GetOrSetAsync(key, _ => { Interlocked.Increment(ref misses); return ValueTask.FromResult(key); }, Tagged);
                Assert.Equal(key, value);
            }

            await Task.Yield();
        }

        await storm;
        await slowLoads;
        var seconds = 2.0;
        output.WriteLine($"{issued} invalidations in {seconds} s ({issued / seconds:0}/s) beside {reads} reads of unrelated keys; unrelated misses: {misses}");
        Assert.True(issued >= 5_000, $"only {issued} invalidations were issued in {seconds} s");
        Assert.Equal(0, misses);
        Assert.Equal(loadsBefore, loads);
        Assert.True(cache.Stats().LocalHits - hitsBefore >= reads, $"{reads} reads of unrelated keys, {cache.Stats().LocalHits - hitsBefore} L1 hits");
    }

    /// <summary>Finding 8: every wildcard invalidation SCANned the whole key space; a segment prefix now sends no SCAN at all.</summary>
    [Fact]
    public async Task F8_a_segment_prefix_invalidation_among_a_million_keys_sends_one_mark_and_no_SCAN()
    {
        await using var redis = new RedisServer();
        await redis.ExecuteAsync("DEBUG", "POPULATE", 1_000_000, "unrelated", 10);
        var prefix = CacheFactory.UniquePrefix("f8");
        await using var cache = CacheFactory.Create(redis, prefix);
        for (var i = 0; i < 10; i++)
        {
            await cache.SetAsync($"user:42:item:{i}", i);
        }

        await redis.ExecuteAsync("CONFIG", "RESETSTAT");
        var clock = Stopwatch.StartNew();
        await cache.InvalidatePatternAsync("user:42:*");
        clock.Stop();

        var stats = (string)(await redis.ExecuteAsync("INFO", "commandstats"))!;
        Assert.DoesNotContain("cmdstat_scan", stats, StringComparison.Ordinal);
        Assert.DoesNotContain("cmdstat_keys", stats, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
        await using var fresh = CacheFactory.Create(redis, prefix, o => o.LocalEnabled = false);
        for (var i = 0; i < 10; i++)
        {
            Assert.False((await fresh.GetAsync<int>($"user:42:item:{i}")).Found);
        }
    }

    /// <summary>
    /// Finding 9: concurrent stores of one key deleted each other, so a key missed by many callers at once stayed
    /// uncached and every miss ran the source again (the HTTP middleware's Get, source, Set).
    /// </summary>
    [Fact]
    public async Task F9_concurrent_stores_of_one_key_on_two_nodes_keep_it_cached()
    {
        var prefix = CacheFactory.UniquePrefix("f9");
        await using var podA = CacheFactory.Create(fixture.Redis, prefix);
        await using var podB = CacheFactory.Create(fixture.Redis, prefix);
        var sourceRuns = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var workers = Enumerable.Range(0, 32).Select(i => Task.Run(async () =>
        {
            var pod = i % 2 == 0 ? podA : podB;
            while (!stop.IsCancellationRequested)
            {
                if (!(await pod.GetAsync<string>("http:GET:/fresh")).Found)
                {
                    Interlocked.Increment(ref sourceRuns);
                    await pod.SetAsync("http:GET:/fresh", "body");
                }

                // An L1 hit completes synchronously: a worker that never yields would hold a pool thread for good.
                await Task.Yield();
            }
        })).ToArray();
        await Task.WhenAll(workers);

        Assert.True(sourceRuns <= 64, $"the source ran {sourceRuns} times for one key");
        Assert.True((await podA.GetAsync<string>("http:GET:/fresh")).Found);
        Assert.True((await podB.GetAsync<string>("http:GET:/fresh")).Found);
    }

    /// <summary>Finding 10: Redis was used again only 5 s after it came back, and calls during DEBUG SLEEP waited up to 1.9 s.</summary>
    [Fact]
    public async Task F10_after_a_kill_Redis_is_used_again_within_a_second_of_accepting_connections()
    {
        await using var redis = new RedisServer();
        var prefix = CacheFactory.UniquePrefix("f10");
        await using var cache = CacheFactory.Create(redis, prefix, o =>
        {
            o.LocalEnabled = false;
            o.BreakerDuration = TimeSpan.FromSeconds(5);
        });
        await cache.SetAsync("k", "v");
        using var stop = new CancellationTokenSource();
        var load = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await cache.GetOrSetAsync("k", _ => ValueTask.FromResult("from source"));
                await Task.Delay(5);
            }
        });

        redis.Stop();
        await Task.Delay(1_500);
        Assert.False(cache.IsRedisAvailable);
        var hitsBefore = cache.Stats().RedisHits;
        redis.Start();
        var back = Stopwatch.StartNew();
        await Eventually.HoldsAsync(() => Task.FromResult(cache.Stats().RedisHits > hitsBefore), TimeSpan.FromSeconds(5), "a Redis hit after the restart");
        back.Stop();
        await stop.CancelAsync();
        await load;

        Assert.True(back.Elapsed < TimeSpan.FromSeconds(1), $"Redis served again {back.Elapsed.TotalMilliseconds:0} ms after it accepted connections (breaker period 5 s)");
    }

    [Fact]
    public async Task F10_while_Redis_sleeps_no_call_takes_longer_than_the_timeout_plus_100_ms()
    {
        await using var redis = new RedisServer();
        var timeout = TimeSpan.FromMilliseconds(500);
        await using var cache = CacheFactory.Create(redis, CacheFactory.UniquePrefix("f10s"), o =>
        {
            o.LocalEnabled = false;
            o.RedisTimeout = timeout;
        });
        await cache.SetAsync("warm", 1);

        var sleeping = await redis.SleepAsync(TimeSpan.FromSeconds(3));
        using var lag = new TimerLagProbe();
        var calls = 0;
        var overruns = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var slowest = new System.Collections.Concurrent.ConcurrentQueue<TimeSpan>();
        var during = Stopwatch.StartNew();
        var callers = Enumerable.Range(0, 4).Select(i => Task.Run(async () =>
        {
            while (during.Elapsed < TimeSpan.FromSeconds(2.5))
            {
                var startedAt = during.Elapsed;
                var start = Stopwatch.GetTimestamp();
                await cache.GetOrSetAsync("k" + (i % 4), _ => ValueTask.FromResult("source"));
                var end = Stopwatch.GetTimestamp();
                var took = Stopwatch.GetElapsedTime(start, end);
                slowest.Enqueue(took);

                // A second wait on Redis would add a whole timeout (500 ms); the process's own timer lag is not the
                // cache's doing, so it is allowed on top (and reported).
                var late = lag.LagDuring(start, end);
                if (took > timeout + TimeSpan.FromMilliseconds(100) + late)
                {
                    overruns.Enqueue($"caller {i} started {startedAt.TotalMilliseconds:0} ms took {took.TotalMilliseconds:0} ms (timers ran {late.TotalMilliseconds:0} ms late meanwhile)");
                }

                Interlocked.Increment(ref calls);

                // A caller that never yields (an open breaker makes every call complete synchronously) would hold the
                // two pool threads of this machine and starve the timers that end the other calls' waits.
                await Task.Delay(5);
            }
        })).ToArray();
        await Task.WhenAll(callers);

        await sleeping;
        Assert.True(calls > 4);
        Assert.True(slowest.Max() >= timeout - TimeSpan.FromMilliseconds(50), $"no call waited for Redis at all (slowest {slowest.Max().TotalMilliseconds:0} ms): the test did not exercise the timeout");
        Assert.True(overruns.IsEmpty, $"calls during DEBUG SLEEP took longer than the timeout ({timeout.TotalMilliseconds:0} ms) + 100 ms: {string.Join("; ", overruns)}");
    }

    private sealed record Item(int Id, string Name);
}
