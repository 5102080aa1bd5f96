using Caching.Runtime.Tests.Infrastructure;

namespace Caching.Runtime.Tests.Resilience;

/// <summary>
/// Factory soft and hard timeouts (FusionCache's semantics): the caller is given back a stale value, or a
/// <see cref="CacheFactoryTimeoutException"/>, while the load finishes in the background and updates the cache.
/// The factories wait on gates the test opens, so "the source is still running" is a fact, not a race.
/// </summary>
[Collection(TimingSensitive.Name)]
public sealed class FactoryTimeoutTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    private static readonly TimeSpan ShortTtl = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task A_soft_timeout_serves_the_stale_value_to_every_caller_and_one_background_load_updates_both_tiers()
    {
        var prefix = CacheFactory.UniquePrefix("soft");
        await using var node = CacheFactory.Create(fixture.Redis, prefix);
        await using var other = CacheFactory.Create(fixture.Redis, prefix);
        await SeedExpiredAsync(node);

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = 0;
        var soft = new CacheEntryOptions { LocalTtl = TimeSpan.FromMinutes(1), RedisTtl = TimeSpan.FromMinutes(1), FailSafe = true, FactorySoftTimeout = TimeSpan.FromMilliseconds(100) };
        async ValueTask<string> Slow(CancellationToken ct)
        {
            Interlocked.Increment(ref runs);
            await gate.Task;
            return "new";
        }

        var first = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => node.GetOrSetAsync("k", Slow, soft).AsTask())));
        Assert.All(first, v => Assert.Equal("old", v));

        // Later callers on this node join the load still running instead of starting their own.
        Assert.Equal("old", await node.GetOrSetAsync("k", Slow, soft));
        Assert.Equal(1, Volatile.Read(ref runs));

        gate.SetResult();
        Assert.Equal("new", await Eventually(() => node.GetOrSetAsync("k", Slow, soft).AsTask(), "new"));
        Assert.Equal("new", (await other.GetAsync<string>("k")).Value);
        Assert.Equal(1, Volatile.Read(ref runs));
    }

    [Fact]
    public async Task Without_a_soft_timeout_the_caller_waits_for_the_source_even_with_a_stale_value()
    {
        await using var node = CacheFactory.Create(fixture.Redis, CacheFactory.UniquePrefix("nosoft"));
        var expiring = await SeedExpiredAsync(node);

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var call = node.GetOrSetAsync("k", async _ => { await gate.Task; return "new"; }, expiring).AsTask();
        await Task.Delay(300);
        Assert.False(call.IsCompleted);
        gate.SetResult();
        Assert.Equal("new", await call);
    }

    [Fact]
    public async Task A_hard_timeout_without_a_stale_value_throws_and_the_late_value_is_cached_for_the_next_caller()
    {
        var prefix = CacheFactory.UniquePrefix("hard");
        await using var node = CacheFactory.Create(fixture.Redis, prefix);
        await using var other = CacheFactory.Create(fixture.Redis, prefix);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hard = new CacheEntryOptions { FactoryHardTimeout = TimeSpan.FromMilliseconds(150) };

        var timeout = await Assert.ThrowsAsync<CacheFactoryTimeoutException>(() => node.GetOrSetAsync("k", async _ => { await gate.Task; return "late"; }, hard).AsTask());
        Assert.Equal("k", timeout.Key);
        Assert.Equal(TimeSpan.FromMilliseconds(150), timeout.Timeout);

        gate.SetResult();
        Assert.Equal("late", await Eventually(async () => (await other.GetAsync<string>("k")).Value, "late"));
        Assert.Equal("late", await node.GetOrSetAsync<string>("k", _ => throw new InvalidOperationException("must come from the cache"), hard));
    }

    [Fact]
    public async Task A_hard_timeout_with_a_stale_value_serves_it()
    {
        await using var node = CacheFactory.Create(fixture.Redis, CacheFactory.UniquePrefix("hardstale"));
        await SeedExpiredAsync(node);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hard = new CacheEntryOptions { FailSafe = true, FactoryHardTimeout = TimeSpan.FromMilliseconds(150) };

        Assert.Equal("old", await node.GetOrSetAsync("k", async _ => { await gate.Task; return "new"; }, hard));
        gate.SetResult();
        Assert.Equal("new", await Eventually(() => node.GetOrSetAsync<string>("k", _ => throw new InvalidOperationException("joined or cached"), hard).AsTask(), "new"));
    }

    [Fact]
    public async Task An_invalidation_during_the_background_load_keeps_its_value_out_of_the_cache()
    {
        await using var node = CacheFactory.Create(fixture.Redis, CacheFactory.UniquePrefix("bginv"));
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hard = new CacheEntryOptions { FactoryHardTimeout = TimeSpan.FromMilliseconds(100) };
        await Assert.ThrowsAsync<CacheFactoryTimeoutException>(() => node.GetOrSetAsync("k", async _ => { await gate.Task; return "read before the removal"; }, hard).AsTask());

        await node.RemoveAsync("k");
        gate.SetResult();
        await Task.Delay(300);
        Assert.Equal("after", await node.GetOrSetAsync("k", _ => ValueTask.FromResult("after"), hard));
    }

    [Fact]
    public void Timeouts_and_thresholds_out_of_range_are_refused_where_they_are_set()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CacheEntryOptions { FactorySoftTimeout = TimeSpan.Zero });
        Assert.Throws<ArgumentOutOfRangeException>(() => new CacheEntryOptions { FactoryHardTimeout = TimeSpan.FromSeconds(-1) });
        Assert.Throws<ArgumentOutOfRangeException>(() => new CacheEntryOptions { EagerRefreshThreshold = 1.0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new CacheEntryOptions { JitterMaxDuration = TimeSpan.FromSeconds(-1) });
        var options = new MultiLayerCacheOptions { EagerRefreshThreshold = 0 };
        Assert.Equal("Cache:EagerRefreshThreshold", Assert.Throws<CacheConfigurationException>(options.Validate).Setting);
    }

    /// <summary>Stores "old" under k with fail-safe and lets it expire: a stale value the source's timeouts may fall back on.</summary>
    private static async Task<CacheEntryOptions> SeedExpiredAsync(MultiLayerCache node)
    {
        var expiring = new CacheEntryOptions { LocalTtl = ShortTtl, RedisTtl = ShortTtl, FailSafe = true, FailSafeMaxDuration = TimeSpan.FromMinutes(5) };
        await node.SetAsync("k", "old", expiring);
        await Task.Delay(ShortTtl * 2);
        return expiring;
    }

    internal static async Task<T> Eventually<T>(Func<Task<T>> read, T expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var value = await read();
            if (EqualityComparer<T>.Default.Equals(value, expected) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(20);
        }
    }
}
