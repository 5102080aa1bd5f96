using System.Runtime.InteropServices;
using Perfolizer.Horology;

namespace Caching.Benchmarks;

/// <summary>
/// Measures the CPU time of the calling thread (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>) instead of wall time. The
/// shared machine often has ten or more runnable processes per vCPU: wall time then measures the scheduler, while
/// the benchmark thread's own CPU time stays close to the code's cost. Only for synchronous benchmarks, where all
/// the work runs on the measuring thread (an L1 hit, an L1-only miss); I/O-bound ones keep the wall clock.
/// </summary>
internal sealed class ThreadCpuClock : IClock
{
    private const int ClockThreadCpuTimeId = 3;

    public static readonly ThreadCpuClock Instance = new();

    public string Title => "Thread CPU time";

    public bool IsAvailable => OperatingSystem.IsLinux();

    public Frequency Frequency => Frequency.GHz;

    public long GetTimestamp()
    {
        if (ClockGetTime(ClockThreadCpuTimeId, out var time) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed.");
        }

        return (time.Seconds * 1_000_000_000L) + time.Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clockId, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
