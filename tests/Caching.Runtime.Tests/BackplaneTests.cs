using Caching.Runtime.Tests.Infrastructure;

namespace Caching.Runtime.Tests;

/// <summary>Two "pods" (own L1, one Redis): an invalidation on one reaches the other's L1 through pub/sub.</summary>
public sealed class BackplaneTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Set_on_one_pod_evicts_the_other_pods_L1()
    {
        var (a, b) = Pods("set");
        await using var podA = a;
        await using var podB = b;
        await podA.SetAsync("gpu:1", "old");

        // Let the first Set's own eviction message pass, or it would (rightly) stop B from filling L1 with "old".
        await Task.Delay(300);
        Assert.Equal("old", (await podB.GetAsync<string>("gpu:1")).Value);
        Assert.Equal(CacheTier.Local, (await podB.GetAsync<string>("gpu:1")).Tier);

        await podA.SetAsync("gpu:1", "new");

        var delay = await Eventually.HoldsAsync(async () => (await podB.GetAsync<string>("gpu:1")).Value == "new", Bound, "pod B seeing the new value");
        Assert.True(delay < Bound);
    }

    [Fact]
    public async Task Remove_pattern_and_tag_on_one_pod_evict_the_other_pods_L1_and_Redis()
    {
        var (a, b) = Pods("inv");
        await using var podA = a;
        await using var podB = b;
        var tagged = new CacheEntryOptions { Tags = ["tenant:7"] };
        await podB.GetOrSetAsync("user:1:profile", _ => ValueTask.FromResult("p1"));
        await podB.GetOrSetAsync("user:2:profile", _ => ValueTask.FromResult("p2"));
        await podB.GetOrSetAsync("user:3:profile", _ => ValueTask.FromResult("p3"));
        await podB.GetOrSetAsync("invoice:9", _ => ValueTask.FromResult("i9"), tagged);
        await podB.GetOrSetAsync("invoice:10", _ => ValueTask.FromResult("i10"));

        await podA.RemoveAsync("user:1:profile");
        await podA.InvalidatePatternAsync("user:2:*");
        await podA.RemoveByTagAsync("tenant:7");

        await Eventually.HoldsAsync(async () => !(await podB.GetAsync<string>("user:1:profile")).Found, Bound, "key removal reaching pod B");
        await Eventually.HoldsAsync(async () => !(await podB.GetAsync<string>("user:2:profile")).Found, Bound, "pattern reaching pod B");
        await Eventually.HoldsAsync(async () => !(await podB.GetAsync<string>("invoice:9")).Found, Bound, "tag reaching pod B");
        Assert.Equal(CacheTier.Local, (await podB.GetAsync<string>("user:3:profile")).Tier);
        Assert.Equal(CacheTier.Local, (await podB.GetAsync<string>("invoice:10")).Tier);
    }

    [Fact]
    public async Task Backplane_delay_is_measured_and_bounded()
    {
        var (a, b) = Pods("delay");
        await using var podA = a;
        await using var podB = b;
        var delays = new List<TimeSpan>();
        for (var i = 0; i < 20; i++)
        {
            var key = "k:" + i;
            await podB.GetOrSetAsync(key, _ => ValueTask.FromResult("v"));
            await podA.RemoveAsync(key);
            delays.Add(await Eventually.HoldsAsync(async () => !(await podB.GetAsync<string>(key, new CacheEntryOptions { SkipRedis = true })).Found, Bound, "eviction on pod B"));
        }

        delays.Sort();
        var median = delays[delays.Count / 2];
        Assert.True(median < TimeSpan.FromSeconds(1), $"median backplane delay {median.TotalMilliseconds} ms");
    }

    private (MultiLayerCache A, MultiLayerCache B) Pods(string name)
    {
        var prefix = CacheFactory.UniquePrefix(name);
        return (CacheFactory.Create(fixture.Redis, prefix), CacheFactory.Create(fixture.Redis, prefix));
    }
}
