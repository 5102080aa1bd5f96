using Caching.Runtime.Tests.Infrastructure;
using Caching.Testing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Caching.Runtime.Tests;

/// <summary>
/// What an operator sees in the log of a real outage: keys can hold personal data, so they appear only at Debug, and
/// an outage is one warning however many calls and health probes meet it (DESIGN invariant 1: "logged once per
/// episode"). Redis is a real redis-server, stopped and started again on its port.
/// </summary>
[Collection(TimingSensitive.Name)]
public sealed class OutageLoggingTests
{
    // What a key might carry: an e-mail address.
    private const string Personal = "ada.lovelace@example.com";

    [Fact]
    public async Task An_outage_is_one_warning_without_the_key_and_a_second_outage_is_one_more()
    {
        await using var redis = new RedisServer();
        var logger = new ListLogger<MultiLayerCache>();
        await using var cache = CacheFactory.Create(redis, CacheFactory.UniquePrefix("outage-log"), logger: logger);
        var health = new CacheHealthCheck(cache);
        Assert.Equal("v", await cache.GetOrSetAsync(Key(0), _ => ValueTask.FromResult("v")));
        Assert.Empty(logger.Warnings());

        redis.Stop();
        await CallsDuringTheOutageAsync(cache, health, first: 1);

        var warnings = logger.Warnings();
        Assert.True(warnings.Count == 1, "one warning per outage, got:\n" + Describe(warnings));
        Assert.Equal(1, warnings[0].Id.Id);
        AssertNoKeyAtWarningOrAbove(logger);

        // The detail is not lost: every failed call is at Debug, with its key.
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Debug && e.Id.Id == 3 && e.Message.Contains(Personal, StringComparison.Ordinal));

        redis.Start();
        await WaitUntilRedisServesAsync(cache);
        Assert.True(logger.Has(2), "the recovery is logged");
        Assert.Single(logger.Warnings());

        redis.Stop();
        await CallsDuringTheOutageAsync(cache, health, first: 100);

        warnings = logger.Warnings();
        Assert.True(warnings.Count == 2, "one more warning for the second outage, got:\n" + Describe(warnings));
        Assert.All(warnings, w => Assert.Equal(1, w.Id.Id));
        AssertNoKeyAtWarningOrAbove(logger);
    }

    [Fact]
    public async Task A_Redis_that_stops_answering_is_one_warning_once_the_breaker_opens_and_its_return_is_logged()
    {
        await using var redis = new RedisServer();
        var logger = new ListLogger<MultiLayerCache>();
        await using var cache = CacheFactory.Create(redis, CacheFactory.UniquePrefix("sleep-log"), o => o.RedisTimeout = TimeSpan.FromMilliseconds(300), logger);

        // The connection stays up: only the calls time out, so the breaker is what tells an outage from a slow call.
        var sleeping = await redis.SleepAsync(TimeSpan.FromSeconds(3));
        for (var i = 0; i < 12; i++)
        {
            Assert.Equal("v" + i, await cache.GetOrSetAsync(Key(i), _ => ValueTask.FromResult("v" + i)));
        }

        var warnings = logger.Warnings();
        Assert.True(warnings.Count == 1, "one warning for the episode, got:\n" + Describe(warnings));
        Assert.Equal(1, warnings[0].Id.Id);
        AssertNoKeyAtWarningOrAbove(logger);

        await sleeping;
        await WaitUntilRedisServesAsync(cache);
        Assert.True(logger.Has(2), "the end of the episode is logged");
        Assert.Single(logger.Warnings());
    }

    [Fact]
    public async Task Many_unreadable_entries_are_one_warning_without_keys_and_each_is_at_Debug_with_its_key()
    {
        await using var redis = new RedisServer();
        var prefix = CacheFactory.UniquePrefix("bad-log");
        var logger = new ListLogger<MultiLayerCache>();
        await using var cache = CacheFactory.Create(redis, prefix, logger: logger);
        await using (var admin = await redis.ConnectAsync())
        {
            for (var i = 0; i < 5; i++)
            {
                await admin.GetDatabase().StringSetAsync(prefix + ":" + Key(i), "{\"written\":\"by another app\"}");
            }
        }

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("fresh", await cache.GetOrSetAsync(Key(i), _ => ValueTask.FromResult("fresh")));
        }

        Assert.Equal(5, cache.Stats().BadPayloads);
        var warnings = logger.Warnings();
        Assert.True(warnings.Count == 1, "one warning for the episode, got:\n" + Describe(warnings));
        Assert.Equal(6, warnings[0].Id.Id);
        AssertNoKeyAtWarningOrAbove(logger);
        Assert.Equal(5, logger.Entries.Count(e => e.Level == LogLevel.Debug && e.Id.Id == 19 && e.Message.Contains(Personal, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_backplane_subscription_that_keeps_failing_is_one_warning_while_the_cache_retries()
    {
        await using var redis = new RedisServer();

        // Every command but SUBSCRIBE: the data connection works, the backplane can never subscribe.
        await redis.ExecuteAsync("ACL", "SETUSER", "nosub", "on", ">secret", "~*", "&*", "+@all", "-subscribe");
        var logger = new ListLogger<MultiLayerCache>();
        var connection = redis.ConnectionString + ",user=nosub,password=secret";
        await using var cache = CacheFactory.Create(redis, CacheFactory.UniquePrefix("nosub"), o => o.RedisConnection = connection, logger);

        await Eventually.HoldsAsync(() => Task.FromResult(logger.Has(12)), TimeSpan.FromSeconds(10), "the failing subscription is logged");

        // The retries go on every 250 ms; the episode stays one warning.
        await Task.Delay(1_000);
        var warnings = logger.Warnings();
        Assert.True(warnings.Count(w => w.Id.Id == 12) == 1, "one warning for the failing subscription, got:\n" + Describe(warnings));
    }

    private static string Key(int i) => $"user:{Personal}:profile:{i}";

    /// <summary>Every kind of call an application makes, and the health endpoint polled, while Redis is down.</summary>
    private static async Task CallsDuringTheOutageAsync(MultiLayerCache cache, CacheHealthCheck health, int first)
    {
        for (var i = first; i < first + 30; i++)
        {
            var key = Key(i);
            Assert.Equal("v" + i, await cache.GetOrSetAsync(key, _ => ValueTask.FromResult("v" + i)));
            Assert.False((await cache.GetAsync<string>(Key(i + 1000), new CacheEntryOptions { SkipLocal = true })).Found);
            if (i % 5 == 0)
            {
                await cache.SetAsync(key, "set" + i);
            }

            if (i % 7 == 0)
            {
                await cache.RemoveAsync(key);
            }

            if (i % 6 == 0)
            {
                Assert.Equal(HealthStatus.Degraded, (await health.CheckHealthAsync(new HealthCheckContext())).Status);
            }
        }
    }

    private static async Task WaitUntilRedisServesAsync(MultiLayerCache cache)
    {
        var probe = "probe:" + Guid.NewGuid().ToString("N");
        await Eventually.HoldsAsync(
            async () =>
            {
                await cache.SetAsync(probe, "p");
                return (await cache.GetAsync<string>(probe, new CacheEntryOptions { SkipLocal = true })).Tier == CacheTier.Redis;
            },
            TimeSpan.FromSeconds(20),
            "Redis serving again");
    }

    private static void AssertNoKeyAtWarningOrAbove(ListLogger<MultiLayerCache> logger)
    {
        foreach (var entry in logger.Warnings())
        {
            Assert.DoesNotContain(Personal, entry.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Personal, entry.Exception ?? string.Empty, StringComparison.Ordinal);
        }
    }

    private static string Describe(IEnumerable<(LogLevel Level, EventId Id, string Message, string? Exception)> entries) =>
        string.Join("\n", entries.Select(e => $"{e.Level} {e.Id.Id}: {e.Message}"));
}
