using Caching.Runtime.Tests.Infrastructure;
using StackExchange.Redis;

namespace Caching.Runtime.Tests.Resilience;

public sealed class JitterTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task Entries_stored_together_spread_their_Redis_expiry_over_the_jitter_and_stay_within_it()
    {
        var prefix = CacheFactory.UniquePrefix("jitter");
        await using var node = CacheFactory.Create(fixture.Redis, prefix);
        var ttl = TimeSpan.FromSeconds(60);
        var jittered = new CacheEntryOptions { RedisTtl = ttl, FailSafe = false, JitterMaxDuration = TimeSpan.FromSeconds(10) };
        var plain = new CacheEntryOptions { RedisTtl = ttl, FailSafe = false };
        for (var i = 0; i < 100; i++)
        {
            await node.SetAsync("j" + i, i, jittered);
            await node.SetAsync("p" + i, i, plain);
        }

        await using var admin = await fixture.Redis.ConnectAsync();
        var database = admin.GetDatabase();
        async Task<double[]> Ttls(string name) => await Task.WhenAll(Enumerable.Range(0, 100).Select(async i => (await database.KeyTimeToLiveAsync(prefix + ":" + name + i))!.Value.TotalSeconds));
        var withJitter = await Ttls("j");
        var without = await Ttls("p");

        Assert.All(withJitter, t => Assert.InRange(t, 55, 70.5));
        Assert.All(without, t => Assert.InRange(t, 55, 60.5));
        Assert.True(without.Max() - without.Min() < 3, $"plain spread {without.Max() - without.Min():0.0} s");

        // 100 uniform draws over 10 s all within 5 s of each other has a probability below 1e-25.
        Assert.True(withJitter.Max() - withJitter.Min() > 5, $"jittered spread {withJitter.Max() - withJitter.Min():0.0} s");
    }
}
