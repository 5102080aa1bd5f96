using Caching.Runtime.Tests.Infrastructure;
using StackExchange.Redis;

namespace Caching.Runtime.Tests.Internals;

/// <summary>
/// A load that begins within two error bounds of an invalidation is returned uncached, so the clock's bound is hit
/// ratio. A process's first <c>TIME</c> replies are its slowest (JIT, a cold connection, a busy machine at startup:
/// 300-500 ms of bound were seen in CI), and a calibration that kept its one sample left every write followed by a
/// read within that bound uncached for five seconds: a test that saved, waited 50 ms and read twice saw two loads.
/// </summary>
public sealed class ClockCalibrationTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    private static readonly TimeSpan SlowReply = TimeSpan.FromMilliseconds(80);

    [Fact]
    public async Task A_slow_first_clock_reply_is_followed_by_samples_until_the_bound_is_tight()
    {
        await using var admin = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.ConnectionString + ",allowAdmin=true");
        var server = admin.GetServer(admin.GetEndPoints()[0]);
        var time = new JumpingTime();
        MultiLayerCache? cache = null;

        // A script is a write to CLIENT PAUSE WRITE, so the clock's first TIME request waits in Redis while the
        // connection and subscription go through; this machine's clock then jumps, as a stalled process sees it.
        await server.ExecuteAsync("CLIENT", "PAUSE", "10000", "WRITE");
        try
        {
            cache = new MultiLayerCache(CacheFactory.Options(fixture.Redis, CacheFactory.UniquePrefix("calibration"), o => o.RedisTimeout = TimeSpan.FromSeconds(5)), timeProvider: time);
            await Eventually.HoldsAsync(async () => await BlockedClientsAsync(server) >= 1, TimeSpan.FromSeconds(5), "the clock's first TIME request waiting in Redis");
            time.Jump(SlowReply);
        }
        finally
        {
            await server.ExecuteAsync("CLIENT", "UNPAUSE");
        }

        await using (cache)
        {
            await cache!.Invalidation.Calibrated.WaitAsync(TimeSpan.FromSeconds(5));

            // Well inside the five seconds to the next regular calibration: only a follow-up sample can tighten it.
            await Eventually.HoldsAsync(
                () => Task.FromResult(cache.Invalidation.Clock.ErrorUs < (long)(SlowReply / 4).TotalMicroseconds),
                TimeSpan.FromMilliseconds(900),
                $"the clock's bound tightening after its slow first reply ({SlowReply.TotalMilliseconds / 2} ms or more)");
            Assert.True(cache.Invalidation.Clock.SamplesTaken >= 2);
        }
    }

    private static async Task<int> BlockedClientsAsync(IServer server)
    {
        var info = (string)(await server.ExecuteAsync("INFO", "clients"))!;
        var line = info.Split('\n').First(l => l.StartsWith("blocked_clients:", StringComparison.Ordinal));
        return int.Parse(line["blocked_clients:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
