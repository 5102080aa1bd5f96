using System.Diagnostics;
using Caching.Runtime.Tests.Infrastructure;
using Caching.Testing;
using StackExchange.Redis;

namespace Caching.Runtime.Tests;

/// <summary>
/// DESIGN invariant 1 on a shared connection: the application's multiplexer keeps its own (long) timeouts, and the
/// cache still answers within RedisTimeout when Redis hangs, synchronous calls included.
/// </summary>
[Collection(TimingSensitive.Name)]
public sealed class SharedConnectionOutageTests
{
    [Fact]
    public async Task A_hanging_Redis_behind_a_patient_shared_multiplexer_delays_a_synchronous_call_by_RedisTimeout_only()
    {
        await using var redis = new RedisServer();
        await using var app = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint + ",syncTimeout=10000,asyncTimeout=10000,abortConnect=false");
        var options = CacheFactory.Options(redis, CacheFactory.UniquePrefix("patient"), o => o.RedisTimeout = TimeSpan.FromMilliseconds(300));
        await using var cache = new MultiLayerCache(options, [], null, null, null, app);
        // Connected, subscribed and calibrated: with a 300 ms RedisTimeout one probe may give up early on a loaded machine.
        await Eventually.HoldsAsync(async () => await cache.ProbeRedisAsync(), TimeSpan.FromSeconds(10), "the shared connection serving the cache");
        var sleeping = await redis.SleepAsync(TimeSpan.FromSeconds(4));

        var clock = Stopwatch.StartNew();
        var synchronous = cache.GetOrSet("sync", 0, _ => "from source");
        var afterSync = clock.Elapsed;
        var asynchronous = await cache.GetOrSetAsync("async", _ => ValueTask.FromResult("from source"));

        Assert.Equal("from source", synchronous);
        Assert.Equal("from source", asynchronous);
        Assert.True(afterSync < TimeSpan.FromSeconds(2), $"the synchronous call took {afterSync}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"both calls took {clock.Elapsed}");
        await sleeping;
        Assert.True(app.IsConnected || await Task.Run(async () => { await Task.Delay(1000); return app.IsConnected; }));
    }
}
