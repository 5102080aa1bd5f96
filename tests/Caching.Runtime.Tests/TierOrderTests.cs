using Caching.Runtime.Tests.Infrastructure;

namespace Caching.Runtime.Tests;

public sealed class TierOrderTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task Value_comes_from_source_then_L1_then_Redis_for_a_second_pod_and_stats_are_exact()
    {
        var prefix = CacheFactory.UniquePrefix("tiers");
        await using var podA = CacheFactory.Create(fixture.Redis, prefix);
        await using var podB = CacheFactory.Create(fixture.Redis, prefix);
        var sourceCalls = 0;
        ValueTask<UserProfile> Load(CancellationToken ct)
        {
            Interlocked.Increment(ref sourceCalls);
            return ValueTask.FromResult(new UserProfile("42", "Ada", 10));
        }

        var first = await podA.GetOrSetAsync("user:42:profile", Load);
        var second = await podA.GetOrSetAsync("user:42:profile", Load);
        var fromRedis = await podB.GetOrSetAsync("user:42:profile", Load);
        var fromLocalB = await podB.GetOrSetAsync("user:42:profile", Load);

        Assert.Equal(1, sourceCalls);
        Assert.Equal(first, fromRedis);
        Assert.Same(first, second);
        Assert.Same(fromRedis, fromLocalB);

        var a = podA.Stats();
        Assert.Equal((1L, 0L, 1L, 2L), (a.LocalHits, a.RedisHits, a.SourceHits, a.TotalRequests));
        Assert.Equal(0.5, a.HitRate);
        Assert.Equal(0.5, a.LocalHitRate);
        var b = podB.Stats();
        Assert.Equal((1L, 1L, 0L, 2L), (b.LocalHits, b.RedisHits, b.SourceHits, b.TotalRequests));
        Assert.Equal(1.0, b.HitRate);
        Assert.Equal(0.5, b.LocalHitRate);
    }

    [Fact]
    public async Task L1_hit_completes_synchronously()
    {
        await using var cache = CacheFactory.Create(fixture.Redis, CacheFactory.UniquePrefix("sync"));
        await cache.GetOrSetAsync("k", _ => ValueTask.FromResult("v"));

        var hit = cache.GetOrSetAsync("k", _ => ValueTask.FromResult("other"));

        Assert.True(hit.IsCompletedSuccessfully);
        Assert.Equal("v", await hit);
    }

    [Fact]
    public async Task GetAsync_reports_the_tier_and_never_throws_on_a_miss()
    {
        var prefix = CacheFactory.UniquePrefix("get");
        await using var podA = CacheFactory.Create(fixture.Redis, prefix);
        await using var podB = CacheFactory.Create(fixture.Redis, prefix);

        var miss = await podA.GetAsync<string>("absent");
        await podA.SetAsync("present", "v");
        var local = await podA.GetAsync<string>("present");
        var redis = await podB.GetAsync<string>("present");

        Assert.Equal(new CacheResult<string>(false, null, CacheTier.None), miss);
        Assert.Equal(new CacheResult<string>(true, "v", CacheTier.Local), local);
        Assert.Equal(new CacheResult<string>(true, "v", CacheTier.Redis), redis);
        Assert.Equal(1, podA.Stats().Misses);
    }

    [Fact]
    public async Task Synchronous_GetOrSet_caches_in_both_tiers()
    {
        var prefix = CacheFactory.UniquePrefix("syncpath");
        await using var podA = CacheFactory.Create(fixture.Redis, prefix);
        await using var podB = CacheFactory.Create(fixture.Redis, prefix);
        var calls = 0;

        var first = podA.GetOrSet("n", 7, s => { calls++; return s * 6; });
        var again = podA.GetOrSet("n", 7, s => { calls++; return -1; });
        var other = podB.GetOrSet("n", 7, s => { calls++; return -1; });

        Assert.Equal((42, 42, 42, 1), (first, again, other, calls));
        Assert.Equal(1, podB.Stats().RedisHits);
    }

    [Fact]
    public async Task Mutable_values_are_copied_per_hit_and_immutable_ones_are_shared()
    {
        await using var cache = CacheFactory.Create(fixture.Redis, CacheFactory.UniquePrefix("copy"));
        var mutable = () => ValueTask.FromResult(new MutableProfile { Id = "1", Roles = ["admin"] });
        await cache.GetOrSetAsync("m", _ => mutable());

        var hit1 = await cache.GetOrSetAsync("m", _ => mutable());
        hit1.Roles.Add("hacker");
        var hit2 = await cache.GetOrSetAsync("m", _ => mutable());

        Assert.NotSame(hit1, hit2);
        Assert.Equal(["admin"], hit2.Roles);

        await cache.GetOrSetAsync("i", _ => ValueTask.FromResult(new UserProfile("1", "A", 1)));
        Assert.Same(await cache.GetOrSetAsync("i", _ => ValueTask.FromResult(new UserProfile("x", "x", 0))), await cache.GetOrSetAsync("i", _ => ValueTask.FromResult(new UserProfile("x", "x", 0))));
    }

    [Fact]
    public async Task Null_results_are_cached_only_when_asked()
    {
        await using var cache = CacheFactory.Create(fixture.Redis, CacheFactory.UniquePrefix("null"));
        var calls = 0;
        ValueTask<string?> Load(CancellationToken ct)
        {
            calls++;
            return ValueTask.FromResult<string?>(null);
        }

        await cache.GetOrSetAsync("a", Load);
        await cache.GetOrSetAsync("a", Load);
        Assert.Equal(2, calls);

        var cacheNull = new CacheEntryOptions { CacheNull = true };
        await cache.GetOrSetAsync("b", Load, cacheNull);
        Assert.Null(await cache.GetOrSetAsync("b", Load, cacheNull));
        Assert.Equal(3, calls);
    }
}
