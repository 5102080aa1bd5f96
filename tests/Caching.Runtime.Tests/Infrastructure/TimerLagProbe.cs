using System.Diagnostics;

namespace Caching.Runtime.Tests.Infrastructure;

/// <summary>
/// Measures how late the runtime's timers fire: a 10 ms periodic timer records when it runs, and the lag of an interval
/// is its longest gap between two runs beyond the period. Every Redis timeout of the cache is such a timer
/// (<c>Task.WaitAsync</c>), so a latency bound can only be asserted on top of the lag the process itself had: on this
/// 2-core machine the timers were seen to stop for 600-860 ms together (an unrelated 100 ms timer included) while
/// Redis slept, with no GC and no pool thread blocked.
/// </summary>
internal sealed class TimerLagProbe : IDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(10);
    private readonly List<long> _runs = [];
    private readonly Timer _timer;

    public TimerLagProbe()
    {
        _timer = new Timer(_ =>
        {
            lock (_runs)
            {
                _runs.Add(Stopwatch.GetTimestamp());
            }
        }, null, TimeSpan.Zero, Period);
    }

    /// <summary>The longest time, beyond the period, that the timer did not run between these two timestamps.</summary>
    public TimeSpan LagDuring(long startTimestamp, long endTimestamp)
    {
        lock (_runs)
        {
            var previous = startTimestamp;
            var longest = TimeSpan.Zero;
            foreach (var run in _runs.Append(endTimestamp))
            {
                if (run <= startTimestamp)
                {
                    continue;
                }

                var at = Math.Min(run, endTimestamp);
                var gap = Stopwatch.GetElapsedTime(previous, at);
                longest = gap > longest ? gap : longest;
                previous = at;
                if (run >= endTimestamp)
                {
                    break;
                }
            }

            return longest > Period ? longest - Period : TimeSpan.Zero;
        }
    }

    public void Dispose() => _timer.Dispose();
}
