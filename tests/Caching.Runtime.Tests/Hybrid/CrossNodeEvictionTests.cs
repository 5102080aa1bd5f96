using Caching.Runtime.Tests.Infrastructure;

namespace Caching.Runtime.Tests.Hybrid;

/// <summary>
/// Two nodes of one application on one real Redis, each with its own L1: a removal on one node reaches the other
/// node's L1 with ours (the backplane), and does not with Microsoft's DefaultHybridCache, whose L1 keeps serving the
/// old value (<see cref="KnownDifferences.MicrosoftL1IsNotEvictedByOtherNodes"/>). Both facts are asserted.
/// </summary>
public sealed class CrossNodeEvictionTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(3);

    [Theory]
    [MemberData(nameof(HybridSubject.WithRedis), MemberType = typeof(HybridSubject))]
    public async Task RemoveAsync_on_one_node_and_the_other_nodes_L1(Implementation kind)
    {
        await using var nodeA = await HybridSubject.CreateAsync(kind, fixture.Redis);
        await using var nodeB = await HybridSubject.CreateAsync(kind, fixture.Redis, nodeA.Prefix);
        await FillBothAsync(nodeA, nodeB, "product:1", tags: null);

        await nodeA.Cache.RemoveAsync("product:1");

        await AssertOtherNodeAsync(nodeB, "product:1", tags: null);
    }

    [Theory]
    [MemberData(nameof(HybridSubject.WithRedis), MemberType = typeof(HybridSubject))]
    public async Task RemoveByTagAsync_on_one_node_and_the_other_nodes_L1(Implementation kind)
    {
        await using var nodeA = await HybridSubject.CreateAsync(kind, fixture.Redis);
        await using var nodeB = await HybridSubject.CreateAsync(kind, fixture.Redis, nodeA.Prefix);
        await FillBothAsync(nodeA, nodeB, "product:2", tags: ["products"]);

        await nodeA.Cache.RemoveByTagAsync("products");

        await AssertOtherNodeAsync(nodeB, "product:2", tags: ["products"]);
    }

    private static async Task FillBothAsync(HybridSubject nodeA, HybridSubject nodeB, string key, string[]? tags)
    {
        await nodeA.Cache.GetOrCreateAsync(key, _ => ValueTask.FromResult("old"), tags: tags);
        await nodeA.SettledAsync(key);

        // Node B's L1 takes the value from Redis; from here on B answers from its L1.
        Assert.Equal("old", await nodeB.Cache.GetOrCreateAsync(key, _ => ValueTask.FromResult("B's own"), tags: tags));
    }

    private static async Task AssertOtherNodeAsync(HybridSubject nodeB, string key, string[]? tags)
    {
        if (nodeB.IsMicrosoft)
        {
            // Redis no longer holds the old value (or holds it invalidated), but B's L1 does, and B keeps serving it.
            await Task.Delay(Bound);
            Assert.Equal("old", await nodeB.Cache.GetOrCreateAsync(key, _ => ValueTask.FromResult("new"), tags: tags));
            return;
        }

        await Eventually.HoldsAsync(
            async () => await nodeB.Cache.GetOrCreateAsync(key, _ => ValueTask.FromResult("new"), tags: tags) == "new",
            Bound,
            "the removal reaching node B's L1");
    }
}
