using System.Net;
using Caching.AspNetCore.Tests.Infrastructure;
using Caching.Testing;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.DependencyInjection;

namespace Caching.AspNetCore.Tests;

/// <summary>ASP.NET Core's output-cache middleware on TestHost with the two-tier store, against real Redis.</summary>
public sealed class OutputCacheStoreTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    private static string Prefix(string name) => "oc-" + name + "-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task The_output_cache_serves_hits_from_the_store_and_a_second_instance_finds_them_in_Redis()
    {
        var prefix = Prefix("hits");
        var runs = new EndpointRuns();
        await using var podA = await OutputCacheApp.StartAsync(fixture.Redis, prefix, runs);
        await using var podB = await OutputCacheApp.StartAsync(fixture.Redis, prefix, runs);

        var (first, firstBody) = await podA.Client.FetchAsync("/products/1");
        var (again, againBody) = await podA.Client.FetchAsync("/products/1");
        var (other, otherBody) = await podB.Client.FetchAsync("/products/1");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("product 1 run 1", firstBody);
        Assert.Equal(firstBody, againBody);
        Assert.Equal(firstBody, otherBody);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(1, runs["products"]);

        var redisHitsBefore = podB.Cache.Stats().RedisHits;
        Assert.True(redisHitsBefore >= 1, "the second instance read the entry from Redis");
        await podB.Client.FetchAsync("/products/1");
        Assert.Equal(redisHitsBefore, podB.Cache.Stats().RedisHits);
        Assert.Equal(1, runs["products"]);
    }

    [Fact]
    public async Task Evicting_a_tag_on_one_instance_is_seen_by_another_and_spares_other_tags()
    {
        var prefix = Prefix("tags");
        var runs = new EndpointRuns();
        await using var podA = await OutputCacheApp.StartAsync(fixture.Redis, prefix, runs);
        await using var podB = await OutputCacheApp.StartAsync(fixture.Redis, prefix, runs);
        await podA.Client.FetchAsync("/products/1");
        await podA.Client.FetchAsync("/orders/1");

        // podB holds both in its memory now.
        await podB.Client.FetchAsync("/products/1");
        await podB.Client.FetchAsync("/orders/1");
        Assert.Equal(1, runs["products"]);

        await podA.Store.EvictByTagAsync("products", CancellationToken.None);

        // The evicting node never serves the old entry again; the other stops within the backplane delay.
        var (afterA, afterABody) = await podA.Client.FetchAsync("/products/1");
        Assert.Equal("product 1 run 2", afterABody);
        Assert.Equal(HttpStatusCode.OK, afterA.StatusCode);
        var afterBBody = await UntilChanged(podB, "/products/1", "product 1 run 1");
        Assert.StartsWith("product 1 run ", afterBBody, StringComparison.Ordinal);

        var (_, ordersBody) = await podB.Client.FetchAsync("/orders/1");
        Assert.Equal("order 1 run 1", ordersBody);
        Assert.Equal(1, runs["orders"]);
    }

    [Fact]
    public async Task The_cache_s_own_tag_invalidation_evicts_output_cache_entries()
    {
        await using var app = await OutputCacheApp.StartAsync(fixture.Redis, Prefix("runtime-tag"));
        await app.Client.FetchAsync("/products/2");

        await app.Cache.RemoveByTagAsync("products");
        var (_, body) = await app.Client.FetchAsync("/products/2");

        Assert.Equal("product 2 run 2", body);
    }

    [Fact]
    public async Task With_Redis_down_requests_are_served_from_memory_or_the_endpoint_without_errors()
    {
        await using var redis = new RedisServer();
        await using var app = await OutputCacheApp.StartAsync(redis, Prefix("down"));
        await app.Client.FetchAsync("/products/1");

        redis.Stop();
        var (warm, warmBody) = await app.Client.FetchAsync("/products/1");
        var (cold, coldBody) = await app.Client.FetchAsync("/products/2");
        var (coldAgain, coldAgainBody) = await app.Client.FetchAsync("/products/2");
        await app.Store.EvictByTagAsync("orders", CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        Assert.Equal("product 1 run 1", warmBody);
        Assert.Equal(HttpStatusCode.OK, cold.StatusCode);
        Assert.Equal("product 2 run 2", coldBody);
        Assert.Equal(HttpStatusCode.OK, coldAgain.StatusCode);
        Assert.Equal(coldBody, coldAgainBody);
        Assert.Equal(2, app.Runs["products"]);
    }

    [Fact]
    public void Registration_replaces_the_in_memory_store_before_or_after_AddOutputCache()
    {
        foreach (var storeFirst in new[] { true, false })
        {
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddMultiLayerCache(new MultiLayerCacheOptions { RedisEnabled = false });
            if (storeFirst)
            {
                services.AddMultiLayerOutputCacheStore().AddOutputCache();
            }
            else
            {
                services.AddOutputCache().AddMultiLayerOutputCacheStore();
            }

            using var provider = services.BuildServiceProvider();

            Assert.IsType<MultiLayerOutputCacheStore>(provider.GetRequiredService<IOutputCacheStore>());
            Assert.Single(services, d => d.ServiceType == typeof(IOutputCacheStore));
        }
    }

    [Fact]
    public async Task Keys_are_one_escaped_segment_under_the_store_prefix()
    {
        await using var app = await OutputCacheApp.StartAsync(fixture.Redis, Prefix("keys"));
        var key = "GET\u001eHTTP\u001eLOCALHOST/A:B*";
        await app.Store.SetAsync(key, [1, 2, 3], ["t"], TimeSpan.FromMinutes(1), CancellationToken.None);

        var direct = await app.Cache.GetAsync<byte[]>("outputcache:" + CacheKey.EscapeValue(key), new CacheEntryOptions { SchemaTag = "outputcache-1" });
        var throughStore = await app.Store.GetAsync(key, CancellationToken.None);
        await app.Cache.InvalidatePatternAsync(MultiLayerOutputCacheStore.KeyPrefix + ":*");
        var afterPattern = await app.Store.GetAsync(key, CancellationToken.None);

        Assert.True(direct.Found);
        Assert.Equal([1, 2, 3], throughStore);
        Assert.Null(afterPattern);
    }

    private static async Task<string> UntilChanged(OutputCacheApp app, string url, string old)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var (_, body) = await app.Client.FetchAsync(url);
            if (body != old)
            {
                return body;
            }

            await Task.Delay(20, timeout.Token);
        }
    }
}
