namespace Caching.Runtime.Tests.Helpers;

/// <summary>The write-through and list helpers on an in-process cache (Redis off: everything runs in L1).</summary>
public sealed class CacheHelperInProcessTests : IAsyncLifetime
{
    private readonly MultiLayerCache _cache = new(new MultiLayerCacheOptions { RedisEnabled = false, KeyPrefix = "t" });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _cache.DisposeAsync();

    [Fact]
    public async Task InvalidateOnWrite_invalidates_the_patterns_only_after_the_write_succeeded()
    {
        await _cache.SetAsync("user:1:profile", "p1");
        await _cache.SetAsync("user:1:settings", "s1");
        await _cache.SetAsync("user:2:profile", "p2");
        await _cache.SetAsync("users:list", "all");
        var seenDuringWrite = new List<bool>();

        var result = await _cache.InvalidateOnWriteAsync(["user:1:*", "users:list"], async ct =>
        {
            await Task.Yield();
            seenDuringWrite.Add((await _cache.GetAsync<string>("user:1:profile", cancellationToken: ct)).Found);
            seenDuringWrite.Add((await _cache.GetAsync<string>("users:list", cancellationToken: ct)).Found);
            return 42;
        });

        Assert.Equal(42, result);
        Assert.Equal([true, true], seenDuringWrite);
        Assert.False((await _cache.GetAsync<string>("user:1:profile")).Found);
        Assert.False((await _cache.GetAsync<string>("user:1:settings")).Found);
        Assert.False((await _cache.GetAsync<string>("users:list")).Found);
        Assert.Equal(new CacheResult<string>(true, "p2", CacheTier.Local), await _cache.GetAsync<string>("user:2:profile"));
    }

    [Fact]
    public async Task InvalidateOnWrite_without_a_result_invalidates_after_the_write()
    {
        await _cache.SetAsync("order:9", "old");
        var wrote = false;

        await _cache.InvalidateOnWriteAsync(["order:9"], async _ =>
        {
            await Task.Yield();
            wrote = (await _cache.GetAsync<string>("order:9")).Found;
        });

        Assert.True(wrote);
        Assert.False((await _cache.GetAsync<string>("order:9")).Found);
    }

    [Fact]
    public async Task A_failed_write_invalidates_nothing_and_its_exception_propagates()
    {
        await _cache.SetAsync("user:1:profile", "p1");
        var failure = new InvalidOperationException("database down");

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => _cache.InvalidateOnWriteAsync<int>(["user:1:*"], async _ =>
        {
            await Task.Yield();
            throw failure;
        }));

        Assert.Same(failure, thrown);
        Assert.Equal(new CacheResult<string>(true, "p1", CacheTier.Local), await _cache.GetAsync<string>("user:1:profile"));
        Assert.Equal(0, _cache.Stats().Invalidations);
    }

    [Theory]
    [InlineData("user:[12]:*")]
    [InlineData("user:1\\*")]
    [InlineData("")]
    [InlineData("user:\u0000")]
    public async Task A_bad_pattern_is_rejected_before_the_write_runs(string pattern)
    {
        await _cache.SetAsync("user:1:profile", "p1");
        var writes = 0;

        var error = await Assert.ThrowsAsync<ArgumentException>(() => _cache.InvalidateOnWriteAsync(["user:1:*", pattern], _ =>
        {
            writes++;
            return Task.FromResult(0);
        }));

        Assert.Equal(0, writes);
        Assert.Equal("patterns", error.ParamName);
        Assert.True((await _cache.GetAsync<string>("user:1:profile")).Found);
    }

    [Fact]
    public async Task CacheableList_caches_the_list_and_every_item_under_its_own_key()
    {
        var loads = 0;
        ValueTask<IReadOnlyList<Gpu>> Load(CancellationToken ct)
        {
            loads++;
            return ValueTask.FromResult<IReadOnlyList<Gpu>>([new Gpu("vast-1", "us-west"), new Gpu("vast-2", "eu")]);
        }

        var keys = new CacheKeyGen("gpu");
        var first = await _cache.CacheableListAsync("gpu:list:instances", Load, g => keys.Resource("instance", g.Id));
        var second = await _cache.CacheableListAsync("gpu:list:instances", Load, g => keys.Resource("instance", g.Id));
        var item = await _cache.GetAsync<Gpu>("gpu:resource:instance:vast-2");
        var viaGetOrSet = await _cache.GetOrSetAsync<Gpu>("gpu:resource:instance:vast-1", _ => throw new InvalidOperationException("the source must not be called"));

        Assert.Equal(1, loads);
        Assert.Equal(["vast-1", "vast-2"], first.Select(g => g.Id));
        Assert.Equal(first, second);
        Assert.Equal(new CacheResult<Gpu>(true, new Gpu("vast-2", "eu"), CacheTier.Local), item);
        Assert.Equal(new Gpu("vast-1", "us-west"), viaGetOrSet);
    }

    [Fact]
    public async Task CacheableQuery_keys_do_not_depend_on_parameter_order()
    {
        var keys = new CacheKeyGen("api");
        var runs = 0;
        ValueTask<string> Query(CancellationToken ct) => ValueTask.FromResult("result-" + ++runs);

        var first = await _cache.CacheableQueryAsync(keys, "search", [new("region", "us-west"), new("q", "gpu")], Query);
        var reordered = await _cache.CacheableQueryAsync(keys, "search", [new("q", "gpu"), new("region", "us-west")], Query);
        var different = await _cache.CacheableQueryAsync(keys, "search", [new("q", "cpu"), new("region", "us-west")], Query);

        Assert.Equal("result-1", first);
        Assert.Equal("result-1", reordered);
        Assert.Equal("result-2", different);
        Assert.Equal(new CacheResult<string>(true, "result-1", CacheTier.Local), await _cache.GetAsync<string>("api:query:search:q=gpu&region=us-west"));
    }

    public sealed record Gpu(string Id, string Region);
}
