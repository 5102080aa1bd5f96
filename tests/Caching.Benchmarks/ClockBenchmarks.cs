using BenchmarkDotNet.Attributes;

namespace Caching.Benchmarks;

/// <summary>
/// The clocks the cache paths read, on this machine. Not part of the default run:
/// <c>./build.sh bench --filter '*Clock*'</c>. On a VM without a vDSO clock these are system calls, which changes
/// which of them a hot path can afford.
/// </summary>
[Config(typeof(ShortCpuConfig))]
public class ClockBenchmarks
{
    [Benchmark(Baseline = true, Description = "Environment.TickCount64")]
    public long TickCount() => Environment.TickCount64;

    [Benchmark(Description = "Stopwatch.GetTimestamp")]
    public long Timestamp() => System.Diagnostics.Stopwatch.GetTimestamp();

    [Benchmark(Description = "DateTime.UtcNow")]
    public DateTime UtcNow() => DateTime.UtcNow;

    [Benchmark(Description = "TimeProvider.System.GetUtcNow")]
    public DateTimeOffset ProviderUtcNow() => TimeProvider.System.GetUtcNow();
}
