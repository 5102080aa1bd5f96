using Caching.Runtime.Tests.Infrastructure;

namespace Caching.Runtime.Tests.Configuration;

/// <summary>
/// What settings that follow reloads cost an L1 hit: nothing allocated, whether the options are shared (a generated
/// decorator's, naming its method) or built per call without a name (an adapter's). Bytes, not time.
/// </summary>
public sealed class HitCostTests
{
    private const int Calls = 20_000;

    private static readonly CacheEntryOptions Named = new() { Method = "IReports.MonthlyAsync", Profile = "reports" };

    [Fact]
    public void A_hit_with_shared_named_options_allocates_nothing()
    {
        using var cache = Cache();
        cache.GetOrSet("report", 0, static _ => "v", Named);

        var perCall = BytesPerCall(() => cache.GetOrSet("report", 0, static _ => "fresh", Named));

        Assert.True(perCall < 1, $"a hit allocated {perCall:F2} bytes per call");
    }

    [Fact]
    public void A_hit_with_unnamed_options_built_per_call_allocates_only_the_options()
    {
        using var cache = Cache();
        cache.GetOrSet("report", 0, static _ => "v", new CacheEntryOptions { LocalTtl = TimeSpan.FromMinutes(1) });
        var optionsOnly = BytesPerCall(() => GC.KeepAlive(new CacheEntryOptions { LocalTtl = TimeSpan.FromMinutes(1) }));

        var perCall = BytesPerCall(() => cache.GetOrSet("report", 0, static _ => "fresh", new CacheEntryOptions { LocalTtl = TimeSpan.FromMinutes(1) }));

        Assert.True(perCall < optionsOnly + 1, $"a hit allocated {perCall:F2} bytes per call; the options alone are {optionsOnly:F2}");
    }

    private static MultiLayerCache Cache()
    {
        var options = CacheFactory.Options(null, CacheFactory.UniquePrefix("cost"));
        options.Profiles["reports"] = new CacheProfile { LocalTtl = TimeSpan.FromHours(1) };
        return new MultiLayerCache(options);
    }

    private static double BytesPerCall(Action call)
    {
        // Past tiered compilation: unoptimized code allocates where optimized code does not.
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 1000; i++)
            {
                call();
            }

            Thread.Sleep(200);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Calls; i++)
        {
            call();
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / (double)Calls;
    }
}
