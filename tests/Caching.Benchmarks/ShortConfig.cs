using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Order;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Caching.Benchmarks;

/// <summary>
/// One short job for every comparison: 1 launch, 5 warm-ups, 30 measured iterations of ~50 ms. The machine is
/// 2 shared vCPUs, so absolute times drift between runs; the ratio columns (each class's raw baseline = 1.00) are
/// what to compare.
/// The benchmarks run in this process (in-process emit toolchain): BenchmarkDotNet's default is to build a
/// separate executable, and building this project graph (generator, analyzers, runtime) took over its 2-minute
/// build timeout on the shared 2-core machine, which alone would eat a third of the suite's 10-minute budget.
/// </summary>
public class ShortConfig : ManualConfig
{
    public ShortConfig()
        : this(cpuTime: false)
    {
    }

    protected ShortConfig(bool cpuTime)
    {
        var job = Job.Default
            .WithId(cpuTime ? "ShortCpu" : "Short")
            .WithLaunchCount(1)
            .WithWarmupCount(5)
            .WithIterationCount(30)
            .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(50))
            .WithToolchain(InProcessEmitToolchain.Instance);
        AddJob(cpuTime ? job.WithClock(ThreadCpuClock.Instance) : job);
        // Other work on the machine only ever adds time, in bursts: many short iterations, and ratios of their
        // Min and Median, are far steadier than the mean-based Ratio when the machine is busy.
        AddColumn(StatisticColumn.Median, StatisticColumn.Min);
        AddColumn(new RatioOfColumn("Min", static s => s.Min), new RatioOfColumn("Median", static s => s.Median));
        Orderer = new DefaultOrderer(SummaryOrderPolicy.Declared);
    }
}

/// <summary><see cref="ShortConfig"/> timed by the benchmark thread's CPU time (<see cref="ThreadCpuClock"/>), for synchronous benchmarks.</summary>
public sealed class ShortCpuConfig : ShortConfig
{
    public ShortCpuConfig()
        : base(cpuTime: true)
    {
    }
}
