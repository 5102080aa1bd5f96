using System.Diagnostics;
using Caching.Runtime.Tests.Infrastructure;
using Caching.Testing;

namespace Caching.Runtime.Tests;

/// <summary>DESIGN invariant 1: a failing Redis never fails a caller, and the cache recovers by itself.</summary>
[Collection(TimingSensitive.Name)]
public sealed class RedisOutageTests
{
    [Fact]
    public async Task Nothing_listening_every_call_succeeds_from_source_and_L1_and_errors_are_counted_and_logged()
    {
        var logger = new ListLogger<MultiLayerCache>();
        var options = CacheFactory.Options(null, CacheFactory.UniquePrefix("refused"), o =>
        {
            o.RedisEnabled = true;
            o.RedisConnection = $"127.0.0.1:{RedisServer.FreePort()},connectTimeout=300";
        });
        await using var cache = new MultiLayerCache(options, logger);
        var calls = 0;
        var clock = Stopwatch.StartNew();

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("v" + (i % 5), await cache.GetOrSetAsync("k" + (i % 5), _ => ValueTask.FromResult("v" + (Interlocked.Increment(ref calls) - 1))));
        }

        Assert.Equal(5, calls);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"20 calls took {clock.Elapsed}");
        Assert.True(cache.Stats().Errors >= 1);
        Assert.Equal(15, cache.Stats().LocalHits);
        Assert.True(logger.Has(1) || logger.Has(3), "the outage is logged");
    }

    [Fact]
    public async Task Server_killed_mid_way_calls_keep_succeeding_breaker_opens_and_the_cache_recovers_without_restart()
    {
        await using var redis = new RedisServer();
        var logger = new ListLogger<MultiLayerCache>();
        var prefix = CacheFactory.UniquePrefix("outage");
        await using var cache = CacheFactory.Create(redis, prefix, o => o.LocalEnabled = false, logger);
        var sourceCalls = 0;
        ValueTask<string> Load(CancellationToken ct) => ValueTask.FromResult("v" + Interlocked.Increment(ref sourceCalls));

        Assert.Equal("v1", await cache.GetOrSetAsync("k", Load));
        Assert.Equal("v1", await cache.GetOrSetAsync("k", Load));
        Assert.Equal(1, cache.Stats().RedisHits);

        redis.Stop();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 10; i++)
        {
            await cache.GetOrSetAsync("k", Load);
        }

        var perCall = clock.Elapsed / 10;
        Assert.True(perCall < TimeSpan.FromSeconds(1), $"calls during the outage took {perCall.TotalMilliseconds} ms each");
        Assert.True(cache.Stats().Errors >= 1);
        Assert.False(cache.IsRedisAvailable);
        Assert.True(logger.Has(4), "the breaker opening is logged");

        redis.Start();
        await Eventually.HoldsAsync(
            async () =>
            {
                await cache.GetOrSetAsync("k2", Load);
                return (await cache.GetAsync<string>("k2")).Tier == CacheTier.Redis;
            },
            TimeSpan.FromSeconds(15),
            "Redis being used again after it returned");
    }

    [Fact]
    public async Task Slow_redis_DEBUG_SLEEP_calls_finish_within_the_timeout_from_the_source()
    {
        await using var redis = new RedisServer();
        await using var cache = CacheFactory.Create(redis, CacheFactory.UniquePrefix("slow"), o => o.RedisTimeout = TimeSpan.FromMilliseconds(300));
        var sleeping = await redis.SleepAsync(TimeSpan.FromSeconds(3));

        var clock = Stopwatch.StartNew();
        var value = await cache.GetOrSetAsync("k", _ => ValueTask.FromResult("from source"));

        Assert.Equal("from source", value);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2.5), $"the call took {clock.Elapsed}");
        Assert.True(cache.Stats().Errors >= 1);
        await sleeping;
    }

    [Fact]
    public async Task Invalidations_issued_while_Redis_was_away_are_replayed_before_Redis_is_read_again()
    {
        await using var redis = new RedisServer();
        var prefix = CacheFactory.UniquePrefix("replay");
        await using var writer = CacheFactory.Create(redis, prefix, o => o.RedisTimeout = TimeSpan.FromMilliseconds(300));
        await using var reader = CacheFactory.Create(redis, prefix, o => o.LocalEnabled = false);
        await writer.SetAsync("user:1:profile", "stale");
        await writer.SetAsync("user:2:profile", "stale");
        await writer.SetAsync("order:1", "stale", new CacheEntryOptions { Tags = ["orders"] });

        // Redis goes away without losing data: the server sleeps, then answers again with the old values in it.
        // Long enough for three timed-out invalidations even on a loaded machine.
        var sleeping = await redis.SleepAsync(TimeSpan.FromSeconds(6));
        await writer.RemoveAsync("user:1:profile");
        await writer.InvalidatePatternAsync("user:2:*");
        await writer.RemoveByTagAsync("orders");
        Assert.Equal(3, writer.PendingInvalidations);

        // Until the queue is replayed, the writer never reads Redis, so it cannot see the stale values.
        Assert.Equal("fresh", await writer.GetOrSetAsync("user:1:profile", _ => ValueTask.FromResult("fresh"), new CacheEntryOptions { SkipLocal = true }));
        await sleeping;

        await Eventually.HoldsAsync(() => Task.FromResult(writer.PendingInvalidations == 0), TimeSpan.FromSeconds(15), "the queued invalidations being replayed");
        Assert.False((await reader.GetAsync<string>("user:2:profile")).Found);
        Assert.False((await reader.GetAsync<string>("order:1")).Found);
        Assert.NotEqual("stale", (await reader.GetAsync<string>("user:1:profile")).Value);
    }
}
