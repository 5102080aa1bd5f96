using Caching.Runtime.Tests.Infrastructure;

namespace Caching.Runtime.Tests;

/// <summary>DESIGN invariant 2: a load that started before an invalidation must not write its old value after it.</summary>
public sealed class StaleSetRaceTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    [Theory]
    [InlineData("key")]
    [InlineData("pattern")]
    [InlineData("tag")]
    public async Task A_load_crossing_a_local_invalidation_returns_its_value_but_does_not_cache_it(string kind)
    {
        var prefix = CacheFactory.UniquePrefix("race-" + kind);
        await using var cache = CacheFactory.Create(fixture.Redis, prefix);
        var loading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new CacheEntryOptions { Tags = ["user:1"] };
        var slowLoad = cache.GetOrSetAsync("user:1:profile", async _ =>
        {
            loading.SetResult();
            await release.Task;
            return "read before the update";
        }, options).AsTask();
        await loading.Task;

        _ = kind switch
        {
            "key" => await Run(cache.RemoveAsync("user:1:profile")),
            "pattern" => await cache.InvalidatePatternAsync("user:1:*"),
            _ => await cache.RemoveByTagAsync("user:1"),
        };
        release.SetResult();

        Assert.Equal("read before the update", await slowLoad);
        Assert.False((await cache.GetAsync<string>("user:1:profile")).Found);
        await using var connection = await fixture.Redis.ConnectAsync();
        await using var reader = CacheFactory.Create(fixture.Redis, prefix);
        Assert.False((await reader.GetAsync<string>("user:1:profile", options)).Found, "a fresh node reading Redis must not find the crossed load's value");
    }

    [Fact]
    public async Task A_load_crossing_another_nodes_invalidation_does_not_leave_its_value_in_Redis()
    {
        var prefix = CacheFactory.UniquePrefix("race-remote");
        await using var podA = CacheFactory.Create(fixture.Redis, prefix);
        await using var podB = CacheFactory.Create(fixture.Redis, prefix);
        var loading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slowLoad = podA.GetOrSetAsync("user:1:profile", async _ =>
        {
            loading.SetResult();
            await release.Task;
            return "old";
        }).AsTask();
        await loading.Task;

        await podB.InvalidatePatternAsync("user:1:*");
        release.SetResult();
        await slowLoad;

        // Pod A's store may land in Redis (no tombstone for a pattern), but stamped before pod B's mark: void for
        // every node that reads it, pod A included, and for a node that starts only now.
        await using var fresh = CacheFactory.Create(fixture.Redis, prefix, o => o.LocalEnabled = false);
        await Eventually.HoldsAsync(
            async () => !(await podA.GetAsync<string>("user:1:profile")).Found && !(await fresh.GetAsync<string>("user:1:profile")).Found,
            TimeSpan.FromSeconds(3),
            "the crossed load's value being void on pod A and on a fresh node");
        Assert.Equal("new", await podB.GetOrSetAsync("user:1:profile", _ => ValueTask.FromResult("new")));
    }

    [Fact]
    public async Task A_load_unrelated_to_the_invalidation_is_cached()
    {
        await using var cache = CacheFactory.Create(fixture.Redis, CacheFactory.UniquePrefix("race-unrelated"));
        var loading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slowLoad = cache.GetOrSetAsync("user:2:profile", async _ =>
        {
            loading.SetResult();
            await release.Task;
            return "two";
        }).AsTask();
        await loading.Task;

        await cache.InvalidatePatternAsync("user:1:*");
        release.SetResult();
        await slowLoad;

        Assert.Equal(CacheTier.Local, (await cache.GetAsync<string>("user:2:profile")).Tier);
    }

    private static async Task<long> Run(ValueTask task)
    {
        await task;
        return 0;
    }
}
