namespace Caching.Internal;

/// <summary>
/// Stops calling Redis after <c>threshold</c> consecutive failures. After <c>duration</c> it half-opens: exactly one
/// call goes through as a probe while the others still skip Redis; the probe's success closes it, its failure opens it
/// for another period. The cache also closes it at once when the client reports the connection restored, so recovery
/// follows the connection rather than a timer.
/// </summary>
internal sealed class CircuitBreaker(int threshold, TimeSpan duration, TimeProvider time)
{
    private readonly long _durationTicks = (long)(duration.TotalSeconds * time.TimestampFrequency);
    private int _consecutiveFailures;
    private long _openUntilTimestamp;
    private long _probeStartedTimestamp;

    /// <summary>True while calls go through: closed, or open with its period over (a probe may be taken).</summary>
    public bool AllowsCall => Volatile.Read(ref _consecutiveFailures) < threshold || time.GetTimestamp() >= Volatile.Read(ref _openUntilTimestamp);

    public bool IsOpen => Volatile.Read(ref _consecutiveFailures) >= threshold;

    public int ConsecutiveFailures => Volatile.Read(ref _consecutiveFailures);

    /// <summary>
    /// Asks to make a call. Closed: yes. Open: no, except for one probe once the period is over (a probe that never
    /// reports back is replaced after another period, so a lost one cannot keep the breaker open).
    /// </summary>
    public bool TryEnter()
    {
        if (Volatile.Read(ref _consecutiveFailures) < threshold)
        {
            return true;
        }

        var now = time.GetTimestamp();
        if (now < Volatile.Read(ref _openUntilTimestamp))
        {
            return false;
        }

        var probe = Volatile.Read(ref _probeStartedTimestamp);
        if (probe != 0 && now - probe < _durationTicks)
        {
            return false;
        }

        return Interlocked.CompareExchange(ref _probeStartedTimestamp, now, probe) == probe;
    }

    /// <summary>Returns true when this success closed a breaker that was open.</summary>
    public bool RecordSuccess()
    {
        if (Volatile.Read(ref _consecutiveFailures) == 0)
        {
            return false;
        }

        var previous = Interlocked.Exchange(ref _consecutiveFailures, 0);
        Volatile.Write(ref _openUntilTimestamp, 0);
        Volatile.Write(ref _probeStartedTimestamp, 0);
        return previous >= threshold;
    }

    /// <summary>Returns true when this failure opened (or re-opened) the breaker.</summary>
    public bool RecordFailure()
    {
        var failures = Interlocked.Increment(ref _consecutiveFailures);
        if (failures < threshold)
        {
            return false;
        }

        Volatile.Write(ref _openUntilTimestamp, time.GetTimestamp() + _durationTicks);
        Volatile.Write(ref _probeStartedTimestamp, 0);
        return true;
    }
}
