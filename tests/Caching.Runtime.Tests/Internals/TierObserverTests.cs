using Caching.Internal;
using Caching.Runtime.Tests.Infrastructure;

namespace Caching.Runtime.Tests.Internals;

/// <summary>The hook the HTTP layer reads X-Cache from: a state that observes is told where its value came from.</summary>
public sealed class TierObserverTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task A_leader_and_its_waiter_hear_Source_a_second_node_hears_Redis_and_an_L1_hit_is_not_reported()
    {
        var prefix = CacheFactory.UniquePrefix("tier-observer");
        await using var podA = CacheFactory.Create(fixture.Redis, prefix);
        await using var podB = CacheFactory.Create(fixture.Redis, prefix);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var leader = new Observer(gate.Task);
        var waiter = new Observer(gate.Task);

        var leading = podA.GetOrSetAsync("k", leader, static (o, _) => o.LoadAsync()).AsTask();
        await Eventually.HoldsAsync(() => Task.FromResult(leader.Runs == 1), TimeSpan.FromSeconds(30), "the leader's factory starting");
        var waiting = podA.GetOrSetAsync("k", waiter, static (o, _) => o.LoadAsync()).AsTask();
        gate.SetResult();
        await Task.WhenAll(leading, waiting);

        var fromRedis = new Observer(Task.CompletedTask);
        await podB.GetOrSetAsync("k", fromRedis, static (o, _) => o.LoadAsync());
        var fromL1 = new Observer(Task.CompletedTask);
        await podA.GetOrSetAsync("k", fromL1, static (o, _) => o.LoadAsync());

        Assert.Equal([CacheTier.Source], leader.Heard);
        Assert.Equal([CacheTier.Source], waiter.Heard);
        Assert.Equal(0, waiter.Runs);
        Assert.Equal([CacheTier.Redis], fromRedis.Heard);
        Assert.Empty(fromL1.Heard);
    }

    private sealed class Observer(Task gate) : ITierObserver
    {
        private int _runs;

        public List<CacheTier> Heard { get; } = [];

        public int Runs => Volatile.Read(ref _runs);

        public void Served(CacheTier tier) => Heard.Add(tier);

        public async ValueTask<string> LoadAsync()
        {
            Interlocked.Increment(ref _runs);
            await gate;
            return "v";
        }
    }
}
