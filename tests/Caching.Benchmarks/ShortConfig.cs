using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Order;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Caching.Benchmarks;

/// <summary>
/// One short job for every comparison: 1 launch, 3 warm-ups, 10 measured iterations of ~250 ms. The machine is
/// 2 shared cores, so absolute times drift between runs; the ratio column (each class's raw baseline = 1.00) is
/// what to compare.
/// The benchmarks run in this process (in-process emit toolchain): BenchmarkDotNet's default is to build a
/// separate executable, and building this project graph (generator, analyzers, runtime) took over its 2-minute
/// build timeout on the shared 2-core machine, which alone would eat a third of the suite's 10-minute budget.
/// </summary>
public sealed class ShortConfig : ManualConfig
{
    public ShortConfig()
    {
        AddJob(Job.Default
            .WithId("Short")
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(10)
            .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(250))
            .WithToolchain(InProcessEmitToolchain.Instance));
        // Other work on the machine only ever adds time, so Min is the steadiest estimate when the load is high.
        AddColumn(StatisticColumn.Median, StatisticColumn.Min);
        Orderer = new DefaultOrderer(SummaryOrderPolicy.Declared);
    }
}
