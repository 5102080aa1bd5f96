using Caching.Generators.Tests.Fixtures;
using Caching.Generators.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Caching.Generators.Tests;

/// <summary>
/// <c>[InvalidatesCache("tenant:{tenant}:user:*:avatar")]</c> is not a key prefix; the generated
/// <c>AddCachingDecorators</c> registers its shape, so the invalidation is one mark on two pods over one real Redis,
/// with no SCAN, and reaches exactly the avatars of that tenant.
/// </summary>
public sealed class IndexedPatternTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task A_generated_non_prefix_pattern_invalidates_on_every_pod_without_a_SCAN()
    {
        var prefix = Pods.UniquePrefix("avatars");
        var source = new AvatarStore();
        await using var podA = await PodAsync(prefix, source);
        await using var podB = await PodAsync(prefix, source);
        var storeA = podA.GetRequiredService<IAvatarStore>();
        var storeB = podB.GetRequiredService<IAvatarStore>();
        foreach (var tenant in new[] { "1", "10" })
        {
            for (var user = 0; user < 3; user++)
            {
                await storeA.AvatarAsync(tenant, user);
                await storeA.NameAsync(tenant, user);
                Assert.Equal(await storeA.AvatarAsync(tenant, user), await storeB.AvatarAsync(tenant, user));
                await storeB.NameAsync(tenant, user);
            }
        }

        var scansBefore = await ScanCallsAsync();

        await storeA.ResetAvatarsAsync("1");

        Assert.Equal(scansBefore, await ScanCallsAsync());
        Assert.Equal("1/0/avatar#2", await storeA.AvatarAsync("1", 0));
        await Pods.EventuallyAsync(async () => (await storeB.AvatarAsync("1", 1)) == "1/1/avatar#2", "pod B dropping tenant 1's avatars");
        Assert.Equal("1/2/avatar#2", await storeB.AvatarAsync("1", 2));
        for (var user = 0; user < 3; user++)
        {
            Assert.Equal($"1/{user}/name#1", await storeB.NameAsync("1", user));
            Assert.Equal($"10/{user}/avatar#1", await storeB.AvatarAsync("10", user));
            Assert.Equal($"10/{user}/avatar#1", await storeA.AvatarAsync("10", user));
        }
    }

    [Fact]
    public void The_registration_indexes_exactly_the_patterns_the_runtime_can_index_with_type_arguments_as_holes()
    {
        const string Source = """
            using System.Threading.Tasks;
            using Caching;

            namespace Consumer;

            public interface IStore<T>
            {
                [Cached("item:{id}:v")]
                ValueTask<string> GetAsync(int id);

                [InvalidatesCache("item:*:v", "item:{id}:*", "item:?:x", "item:{id}*", "item:{id}:v")]
                ValueTask ChangeAsync(int id);

                [InvalidatesCache("doc:*:{id}")]
                ValueTask DropAsync<TDoc>(int id);
            }
            """;

        var registration = GeneratorHarness.Run(Source).AssertCompilesCleanly().Source("CachingDecoratorServiceCollectionExtensions.g.cs");

        Assert.Contains("AddIndexedCachePatterns(services, \"{h0}:item:*:v\", \"{h0}:doc:*:{h1}:{h2}\");", registration, StringComparison.Ordinal);
    }

    private async Task<ServiceProvider> PodAsync(string prefix, AvatarStore source)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IAvatarStore>(source);
        services.AddMultiLayerCache(Pods.Options(redis.Server, prefix));
        services.AddCachingDecorators();
        var provider = services.BuildServiceProvider();
        Assert.True(await provider.GetRequiredService<MultiLayerCache>().ProbeRedisAsync());
        return provider;
    }

    private Task<long> ScanCallsAsync() => redis.Server.CommandCallsAsync("scan");
}
