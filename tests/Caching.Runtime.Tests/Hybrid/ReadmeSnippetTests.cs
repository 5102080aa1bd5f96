using Caching.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Caching.Runtime.Tests.Hybrid;

/// <summary>The README's "Coming from HybridCache" snippet, as written there, against a real Redis.</summary>
public sealed class ReadmeSnippetTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task The_coming_from_HybridCache_snippet_caches_and_invalidates_by_tag()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cache:RedisConnection"] = fixture.Redis.ConnectionString,
            ["Cache:KeyPrefix"] = CacheFactory.UniquePrefix("readme"),
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddMultiLayerCache(configuration)
            .AsHybridCache(o => o.DefaultEntryOptions = new HybridCacheEntryOptions { Expiration = TimeSpan.FromMinutes(10) });
        services.AddSingleton<ProductDb>().AddSingleton<ProductService>();
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<MultiLayerCache>().ProbeRedisAsync();
        var products = provider.GetRequiredService<ProductService>();
        var db = provider.GetRequiredService<ProductDb>();

        Assert.Equal("product 7", (await products.GetAsync(7, default))!.Name);
        Assert.Equal("product 7", (await products.GetAsync(7, default))!.Name);
        Assert.Equal(1, db.Reads);
        await products.ProductsChangedAsync();
        await products.GetAsync(7, default);
        Assert.Equal(2, db.Reads);
    }

    public sealed record Product(int Id, string Name);

    public sealed class ProductDb
    {
        private int _reads;

        public int Reads => Volatile.Read(ref _reads);

        public Task<Product?> FindAsync(int id, CancellationToken ct)
        {
            Interlocked.Increment(ref _reads);
            return Task.FromResult<Product?>(new Product(id, "product " + id));
        }
    }

    // As in the README.
    public sealed class ProductService(HybridCache cache, ProductDb db)
    {
        public ValueTask<Product?> GetAsync(int id, CancellationToken ct) =>
            cache.GetOrCreateAsync($"product:{id}", async token => await db.FindAsync(id, token),
                tags: ["products"], cancellationToken: ct);

        public ValueTask ProductsChangedAsync() => cache.RemoveByTagAsync("products");   // every node's L1, one Redis mark
    }
}
