using System.Buffers.Binary;
using System.Text;
using Caching.Internal;
using Caching.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;

namespace Caching.Runtime.Tests.Hybrid;

/// <summary>services.AddMultiLayerCache(...).AsHybridCache(): registration, options, and one cache behind both APIs.</summary>
public sealed class AsHybridCacheTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    [Fact]
    public void It_replaces_a_HybridCache_registered_before_and_a_later_AddHybridCache_keeps_it()
    {
        var before = new ServiceCollection().AddLogging();
        before.AddHybridCache();
        before.AddMultiLayerCache(CacheFactory.Options(null, "reg")).AsHybridCache();
        var after = new ServiceCollection().AddLogging();
        after.AddMultiLayerCache(CacheFactory.Options(null, "reg")).AsHybridCache();
        after.AddHybridCache();

        using var first = before.BuildServiceProvider();
        using var second = after.BuildServiceProvider();

        Assert.IsType<MultiLayerHybridCache>(first.GetRequiredService<HybridCache>());
        Assert.IsType<MultiLayerHybridCache>(second.GetRequiredService<HybridCache>());
        Assert.Single(before, d => d.ServiceType == typeof(HybridCache));
    }

    [Fact]
    public void It_needs_AddMultiLayerCache_first()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AsHybridCache());

        Assert.Contains("AddMultiLayerCache", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MaximumKeyLength")]
    [InlineData("MaximumPayloadBytes")]
    [InlineData("DefaultEntryOptions.Expiration")]
    [InlineData("DefaultEntryOptions.LocalCacheExpiration")]
    public void A_bad_option_stops_the_registration_naming_it(string setting)
    {
        var services = new ServiceCollection().AddMultiLayerCache(CacheFactory.Options(null, "bad"));

        var error = Assert.Throws<CacheConfigurationException>(() => services.AsHybridCache(o =>
        {
            switch (setting)
            {
                case "MaximumKeyLength":
                    o.MaximumKeyLength = 0;
                    break;
                case "MaximumPayloadBytes":
                    o.MaximumPayloadBytes = (long)int.MaxValue + 1;
                    break;
                case "DefaultEntryOptions.Expiration":
                    o.DefaultEntryOptions = new HybridCacheEntryOptions { Expiration = TimeSpan.Zero };
                    break;
                default:
                    o.DefaultEntryOptions = new HybridCacheEntryOptions { LocalCacheExpiration = TimeSpan.FromSeconds(-1) };
                    break;
            }
        }));

        Assert.Equal("MultiLayerHybridCacheOptions." + setting, error.Setting);
        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_call_with_a_non_positive_expiration_is_refused_naming_it()
    {
        await using var subject = await HybridSubject.CreateAsync(Implementation.OursLocalOnly, fixture.Redis);

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => subject.Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult(1), new HybridCacheEntryOptions { Expiration = TimeSpan.Zero }).AsTask());

        Assert.Contains("Expiration", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HybridCache_and_IMultiLayerCache_are_one_cache_with_one_set_of_tags()
    {
        await using var subject = await HybridSubject.CreateAsync(Implementation.Ours, fixture.Redis);
        var runtime = subject.Services.GetRequiredService<IMultiLayerCache>();

        await subject.Cache.SetAsync("product:1", "from HybridCache", tags: ["products"]);
        Assert.Equal("from HybridCache", (await runtime.GetAsync<string>("product:1")).Value);
        await runtime.RemoveByTagAsync("products");
        Assert.Equal("reloaded", await subject.Cache.GetOrCreateAsync("product:1", _ => ValueTask.FromResult("reloaded")));

        await runtime.GetOrSetAsync("order:1", _ => ValueTask.FromResult("from the runtime"), new CacheEntryOptions { Tags = ["orders"] });
        Assert.Equal("from the runtime", await subject.Cache.GetOrCreateAsync("order:1", _ => ValueTask.FromResult("not asked")));
        await subject.Cache.RemoveByTagAsync("orders");
        Assert.False((await runtime.GetAsync<string>("order:1")).Found);
    }

    [Fact]
    public async Task The_containers_serializers_reach_the_runtime_API_and_Microsofts_defaults_do_not_replace_ours()
    {
        var marked = new MarkedSerializer<MutableProfile>("container:");
        await using var subject = await HybridSubject.CreateAsync(Implementation.Ours, fixture.Redis, register: s =>
        {
            // AddHybridCache registers Microsoft's UTF-8 string serializer and JSON factory: ours stay the default.
            s.AddHybridCache().AddSerializer(marked);
            s.AddMultiLayerCache(CacheFactory.Options(fixture.Redis, "unused")).AsHybridCache();
        });
        var runtime = subject.Services.GetRequiredService<IMultiLayerCache>();

        await runtime.SetAsync("mutable", new MutableProfile { Id = "1" });
        await subject.Cache.SetAsync("text", "hello");

        Assert.Equal(1, marked.Serialized);
        Assert.StartsWith("container:", Payload(await subject.RedisBytesAsync("mutable")), StringComparison.Ordinal);
        Assert.Equal("\"hello\"", Payload(await subject.RedisBytesAsync("text")));
        Assert.IsType<MultiLayerHybridCache>(subject.Cache);
    }

    [Fact]
    public async Task Expiration_is_the_Redis_entrys_logical_lifetime_by_default_and_per_call()
    {
        var services = new ServiceCollection().AddLogging();
        var prefix = CacheFactory.UniquePrefix("expiry");
        services.AddMultiLayerCache(CacheFactory.Options(fixture.Redis, prefix))
            .AsHybridCache(o => o.DefaultEntryOptions = new HybridCacheEntryOptions { Expiration = TimeSpan.FromMinutes(7) });
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<MultiLayerCache>().ProbeRedisAsync();
        var cache = provider.GetRequiredService<HybridCache>();

        await cache.GetOrCreateAsync("default", _ => ValueTask.FromResult(1));
        await cache.GetOrCreateAsync("per-call", _ => ValueTask.FromResult(2), new HybridCacheEntryOptions { Expiration = TimeSpan.FromMinutes(2) });

        // The expiry counts from the store, the stamp from the load's start: they differ by the load's duration.
        var slack = TimeSpan.FromSeconds(5);
        Assert.InRange(await LogicalLifetimeAsync(prefix, "default"), TimeSpan.FromMinutes(7), TimeSpan.FromMinutes(7) + slack);
        Assert.InRange(await LogicalLifetimeAsync(prefix, "per-call"), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(2) + slack);
    }

    [Fact]
    public async Task An_L1_hit_allocates_nothing_with_or_without_tags_and_options()
    {
        await using var subject = await HybridSubject.CreateAsync(Implementation.OursLocalOnly, fixture.Redis);
        var options = new HybridCacheEntryOptions { Expiration = TimeSpan.FromMinutes(1) };
        string[] tags = ["products"];
        var runs = 0;
        Func<CancellationToken, ValueTask<UserProfile>> factory = _ => { runs++; return ValueTask.FromResult(new UserProfile("1", "n", 1)); };
        await subject.Cache.GetOrCreateAsync("hot", factory, options, tags);

        long Measure(Func<ValueTask<UserProfile>> call)
        {
            for (var i = 0; i < 10; i++)
            {
                _ = call().Result;
            }

            // The fewest bytes of five rounds: a one-off on this thread (an entry re-checked once after the node's
            // invalidation epoch moved, a first resolution after a settings swap) is not a cost of every hit.
            var fewest = long.MaxValue;
            for (var round = 0; round < 5; round++)
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                for (var i = 0; i < 100; i++)
                {
                    _ = call().Result;
                }

                fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
            }

            return fewest;
        }

        Assert.Equal(0, Measure(() => subject.Cache.GetOrCreateAsync("hot", factory)));
        Assert.Equal(0, Measure(() => subject.Cache.GetOrCreateAsync("hot", factory, options)));
        Assert.Equal(0, Measure(() => subject.Cache.GetOrCreateAsync("hot", factory, options, tags)));
        Assert.Equal(1, runs);
    }

    private async Task<TimeSpan> LogicalLifetimeAsync(string prefix, string key)
    {
        await using var connection = await fixture.Redis.ConnectAsync();
        var bytes = (byte[])(await connection.GetDatabase().StringGetAsync(prefix + ":" + key))!;

        // The envelope's stamp (when the load began) and logical expiry, both on Redis's clock (CacheEnvelope).
        var stamp = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8));
        var expiry = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(16));
        return TimeSpan.FromMicroseconds(expiry - stamp);
    }

    private static string Payload(byte[]? envelope) => Encoding.UTF8.GetString(envelope.AsSpan(CacheEnvelope.PayloadOffset(envelope)));
}
