using Caching.Runtime.Tests.Infrastructure;

namespace Caching.Runtime.Tests;

/// <summary>
/// Invalidation marks and load stamps are compared across nodes, so they must come from one clock: Redis's. These
/// nodes' own clocks disagree by ten seconds (wall clock and monotonic timestamps alike); ordering must not care.
/// With stamps from the nodes' own clocks both tests fail: the fast node's stale load outranks the slow node's
/// invalidation, and the slow node's fresh write loses to the fast node's earlier invalidation.
/// </summary>
[Collection(TimingSensitive.Name)]
public sealed class ClockSkewTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    private static readonly TimeSpan Ahead = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Behind = TimeSpan.FromSeconds(-5);

    [Theory]
    [InlineData("pattern")]
    [InlineData("tag")]
    [InlineData("key")]
    public async Task A_load_on_a_node_whose_clock_is_ahead_cannot_outlive_an_invalidation_from_a_node_whose_clock_is_behind(string kind)
    {
        var prefix = CacheFactory.UniquePrefix("skew-" + kind);
        var options = new CacheEntryOptions { Tags = ["tenant:1"] };
        await using var fast = Node(prefix, Ahead);
        await using var slow = Node(prefix, Behind);
        var loading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var staleLoad = fast.GetOrSetAsync("user:1:profile", async _ =>
        {
            loading.SetResult();
            await release.Task;
            return "read before the update";
        }, options).AsTask();
        await loading.Task;

        switch (kind)
        {
            case "pattern":
                await slow.InvalidatePatternAsync("user:1:*");
                break;
            case "tag":
                await slow.RemoveByTagAsync("tenant:1");
                break;
            default:
                await slow.RemoveAsync("user:1:profile");
                break;
        }

        await Task.Delay(50);
        release.SetResult();
        Assert.Equal("read before the update", await staleLoad);

        await using var reader = Node(prefix, TimeSpan.Zero, local: false);
        Assert.False((await reader.GetAsync<string>("user:1:profile", options)).Found, "a third node read the stale load's value from Redis");
        Assert.False((await fast.GetAsync<string>("user:1:profile", options)).Found, "the loading node kept its stale value");
        Assert.False((await slow.GetAsync<string>("user:1:profile", options)).Found, "the invalidating node read the stale value");
    }

    [Fact]
    public async Task A_write_on_a_node_whose_clock_is_behind_survives_an_earlier_invalidation_from_a_node_whose_clock_is_ahead()
    {
        var prefix = CacheFactory.UniquePrefix("skew-write");
        await using var fast = Node(prefix, Ahead);
        await using var slow = Node(prefix, Behind);
        await fast.SetAsync("user:1:profile", "old");

        await fast.InvalidatePatternAsync("user:1:*");
        await Task.Delay(50);
        await slow.SetAsync("user:1:profile", "new");

        await using var reader = Node(prefix, TimeSpan.Zero, local: false);
        Assert.Equal("new", (await reader.GetAsync<string>("user:1:profile")).Value);
        await Eventually.HoldsAsync(async () => (await fast.GetAsync<string>("user:1:profile")).Value == "new", TimeSpan.FromSeconds(2), "the fast node reading the write");
    }

    private MultiLayerCache Node(string prefix, TimeSpan skew, bool local = true)
    {
        var cache = new MultiLayerCache(CacheFactory.Options(fixture.Redis, prefix, o => o.LocalEnabled = local), timeProvider: new SkewedTime(skew));

        // A probe answers "not yet" when one of its 500 ms round trips is slow (a loaded CI machine): wait as a host would.
        Eventually.HoldsAsync(async () => await cache.ProbeRedisAsync(), TimeSpan.FromSeconds(10), "the node serving from Redis").GetAwaiter().GetResult();
        return cache;
    }

    /// <summary>A machine whose clock is off: its wall clock and its monotonic timestamps alike.</summary>
    private sealed class SkewedTime(TimeSpan skew) : TimeProvider
    {
        private readonly long _skewTicks = (long)(skew.TotalSeconds * global::System.Diagnostics.Stopwatch.Frequency);

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + skew;

        public override long GetTimestamp() => System.GetTimestamp() + _skewTicks;

        public override long TimestampFrequency => System.TimestampFrequency;
    }
}
