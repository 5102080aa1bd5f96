namespace Caching.Internal;

/// <summary>
/// Stops calling Redis after <c>threshold</c> consecutive failures for <c>duration</c>; afterwards calls go through
/// again, and the first one that fails re-opens it at once (the failure count is only reset by a success).
/// </summary>
internal sealed class CircuitBreaker(int threshold, TimeSpan duration, TimeProvider time)
{
    private int _consecutiveFailures;
    private long _openUntilTimestamp;

    public bool AllowsCall => time.GetTimestamp() >= Volatile.Read(ref _openUntilTimestamp);

    public bool IsOpen => !AllowsCall;

    public int ConsecutiveFailures => Volatile.Read(ref _consecutiveFailures);

    /// <summary>Returns true when this success closed a breaker that had failures.</summary>
    public bool RecordSuccess()
    {
        if (Volatile.Read(ref _consecutiveFailures) == 0)
        {
            return false;
        }

        var previous = Interlocked.Exchange(ref _consecutiveFailures, 0);
        Volatile.Write(ref _openUntilTimestamp, 0);
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

        var until = time.GetTimestamp() + (long)(duration.TotalSeconds * time.TimestampFrequency);
        Volatile.Write(ref _openUntilTimestamp, until);
        return true;
    }
}
