using Caching.Generators.Tests.Fixtures;
using Caching.Generators.Tests.Infrastructure;

namespace Caching.Generators.Tests;

/// <summary>
/// The decorator the generator produced for <see cref="IProductCatalog"/> (compiled into this assembly), over a
/// counting fake and real <see cref="MultiLayerCache"/> pods on a real redis-server.
/// </summary>
public sealed class DecoratorBehaviourTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task Second_call_is_served_by_the_cache_and_a_second_pod_reads_it_from_Redis()
    {
        var prefix = Pods.UniquePrefix("second");
        await using var cacheA = await Pods.CreateAsync(redis.Server, prefix);
        await using var cacheB = await Pods.CreateAsync(redis.Server, prefix);
        var db = Seed();
        var (sourceA, podA) = Catalog(db, cacheA);
        var (sourceB, podB) = Catalog(db, cacheB);

        Assert.Equal("hammer", (await podA.GetAsync(1))!.Name);
        Assert.Equal("hammer", (await podA.GetAsync(1))!.Name);
        Assert.Equal(1, sourceA.Calls("GetAsync"));
        Assert.Equal(1, cacheA.Stats().LocalHits);

        Assert.Equal("hammer", (await podB.GetAsync(1))!.Name);
        Assert.Equal(0, sourceB.Calls("GetAsync"));
        Assert.Equal(1, cacheB.Stats().RedisHits);
    }

    [Fact]
    public async Task An_invalidating_call_on_one_pod_makes_the_next_read_on_either_pod_reach_the_source()
    {
        var prefix = Pods.UniquePrefix("invalidate");
        await using var cacheA = await Pods.CreateAsync(redis.Server, prefix);
        await using var cacheB = await Pods.CreateAsync(redis.Server, prefix);
        var db = Seed();
        var (sourceA, podA) = Catalog(db, cacheA);
        var (sourceB, podB) = Catalog(db, cacheB);
        await podA.GetAsync(1);
        await podB.GetAsync(1);
        await podB.ListAsync(Category.Tools);
        Assert.Equal("hammer", (await podB.GetAsync(1))!.Name);
        Assert.Equal(1, sourceB.Calls("ListAsync"));

        await podA.RenameAsync(1, "mallet");

        // Pod B's L1 copy is evicted through the backplane and the Redis entry is gone: its next load reaches the source.
        await Pods.EventuallyAsync(async () => (await podB.GetAsync(1))!.Name == "mallet", "pod B to see the rename");
        Assert.Equal(1, sourceB.Calls("GetAsync"));
        Assert.Equal("mallet", (await podA.GetAsync(1))!.Name);
        await Pods.EventuallyAsync(async () => (await podB.ListAsync(Category.Tools)).Any(p => p.Name == "mallet"), "the pattern products:* to reach pod B");
        Assert.Equal(2, sourceB.Calls("ListAsync"));
        Assert.Equal(1, sourceA.Calls("RenameAsync"));
    }

    [Fact]
    public async Task A_failing_write_invalidates_nothing()
    {
        await using var cache = await Pods.CreateAsync(redis.Server, Pods.UniquePrefix("fail"));
        var (source, pod) = Catalog(Seed(), cache);
        await pod.GetAsync(1);

        await Assert.ThrowsAsync<InvalidOperationException>(() => pod.FailAsync(1));

        Assert.Equal("hammer", (await pod.GetAsync(1))!.Name);
        Assert.Equal(1, source.Calls("GetAsync"));
        Assert.Equal(1, source.Calls("FailAsync"));
    }

    [Fact]
    public async Task The_synchronous_path_caches_and_a_void_invalidation_clears_it()
    {
        await using var cache = await Pods.CreateAsync(redis.Server, Pods.UniquePrefix("sync"));
        var (source, pod) = Catalog(Seed(), cache);

        // A single-threaded synchronization context: sync-over-async inside the decorator would deadlock here.
        var names = await SingleThreaded.RunAsync(() =>
        {
            var first = pod.Get(1)!.Name;
            var second = pod.Get(1)!.Name;
            pod.Reset();
            return (first, second, third: pod.Get(1)?.Name);
        });

        Assert.Equal(("hammer", "hammer", (string?)null), names);
        Assert.Equal(2, source.Calls("Get"));
        Assert.Equal(1, source.Calls("Reset"));
    }

    [Fact]
    public async Task Null_results_are_cached_only_when_CacheNull_is_set()
    {
        await using var cache = await Pods.CreateAsync(redis.Server, Pods.UniquePrefix("null"));
        var (source, pod) = Catalog(new ProductDb(), cache);

        Assert.Null(await pod.FindAsync(42));
        Assert.Null(await pod.FindAsync(42));
        Assert.Null(await pod.GetAsync(42));
        Assert.Null(await pod.GetAsync(42));

        Assert.Equal(1, source.Calls("FindAsync"));
        Assert.Equal(2, source.Calls("GetAsync"));
    }

    [Fact]
    public async Task A_null_argument_and_an_empty_one_get_different_keys()
    {
        await using var cache = await Pods.CreateAsync(redis.Server, Pods.UniquePrefix("nullkey"));
        var db = Seed();
        db.Rows[9] = new Product(9, "(none)", Category.Toys);
        db.Rows[10] = new Product(10, "", Category.Toys);
        var (source, pod) = Catalog(db, cache);

        Assert.Equal(9, (await pod.ByNameAsync(null))!.Id);
        Assert.Equal(10, (await pod.ByNameAsync(string.Empty))!.Id);
        Assert.Equal(9, (await pod.ByNameAsync(null))!.Id);
        Assert.Equal(2, source.Calls("ByNameAsync"));
    }

    [Fact]
    public async Task Members_without_attributes_pass_straight_through()
    {
        await using var cache = await Pods.CreateAsync(redis.Server, Pods.UniquePrefix("pass"));
        var (_, pod) = Catalog(Seed(), cache);

        Assert.Equal(7, pod.Version);
        Assert.Equal(0, cache.Stats().TotalRequests);
    }

    private static ProductDb Seed()
    {
        var db = new ProductDb();
        db.Rows[1] = new Product(1, "hammer", Category.Tools);
        db.Rows[2] = new Product(2, "kite", Category.Toys);
        return db;
    }

    private static (ProductCatalog Source, IProductCatalog Decorated) Catalog(ProductDb db, IMultiLayerCache cache)
    {
        var source = new ProductCatalog(db);
        return (source, new ProductCatalogCachingDecorator(source, cache));
    }
}
