namespace Caching.Invalidation;

/// <summary>
/// One clock for every node: Redis's, estimated locally. Invalidation marks and entry stamps are compared across
/// nodes, so they cannot come from the nodes' own wall clocks, which may disagree by seconds. Every few seconds the
/// cache reads Redis <c>TIME</c> (one reference server: the primary of the clock key's slot); between two reads the
/// estimate follows this machine's monotonic clock. Each estimate carries an error bound (half the round trip of the
/// sample, plus drift since), and the cache only ever uses its edges: a load is stamped with the lowest time it can
/// have started at, an invalidation is marked with the highest time it can have happened at. So an entry loaded
/// before an invalidation always compares older than its mark, on any node; a load that began within the error bound
/// after an invalidation is merely not cached.
/// </summary>
internal sealed class ReferenceClock
{
    // Redis TIME has microsecond resolution; the slack covers it and the scheduling between the sample's edges.
    private const long SampleSlackUs = 200;

    // 100 ppm: well above what NTP-disciplined clocks drift, so the bound stays a bound between two samples.
    private const long DriftDivisor = 10_000;

    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private Sample _sample;
    private long _lastMark;
    private long _lastWrite;
    private int _era;
    private int _samplesTaken;
    private long _bestSampleErrorUs = long.MaxValue;

    public ReferenceClock(TimeProvider time)
    {
        _time = time;

        // Until Redis answers, the node's own clock stands in. Nothing is compared with other nodes meanwhile (they
        // cannot be reached through Redis), and the first real sample starts a new era.
        _sample = new Sample(LocalUs(), time.GetUtcNow().ToUnixTimeMilliseconds() * 1000, 0, Calibrated: false);
    }

    /// <summary>Changes when the estimate moved by more than its bounds allowed (first sample, a Redis clock step, a failover to another reference server).</summary>
    public int Era => Volatile.Read(ref _era);

    public bool IsCalibrated => Volatile.Read(ref _sample).Calibrated;

    /// <summary>How many <c>TIME</c> replies were taken.</summary>
    public int SamplesTaken => Volatile.Read(ref _samplesTaken);

    /// <summary>The smallest error bound any reply started with: what this network allows.</summary>
    public long BestSampleErrorUs => Volatile.Read(ref _bestSampleErrorUs);

    /// <summary>Half the width of the estimate's bounds now, in microseconds (0 before the first sample).</summary>
    public long ErrorUs
    {
        get
        {
            var sample = Volatile.Read(ref _sample);
            return Error(sample, LocalUs());
        }
    }

    /// <summary>The earliest reference time it can be now: the stamp of a load that starts now.</summary>
    public long Low()
    {
        var sample = Volatile.Read(ref _sample);
        var local = LocalUs();
        return sample.ReferenceUs + (local - sample.LocalUs) - Error(sample, local);
    }

    /// <summary>The latest reference time it can be now.</summary>
    public long High()
    {
        var sample = Volatile.Read(ref _sample);
        var local = LocalUs();
        return sample.ReferenceUs + (local - sample.LocalUs) + Error(sample, local);
    }

    /// <summary>
    /// The mark of an invalidation happening now: at least <see cref="High"/>, and above every mark this node gave
    /// before, so a node's own invalidations are strictly ordered.
    /// </summary>
    public long NextMark()
    {
        while (true)
        {
            var last = Volatile.Read(ref _lastMark);

            // At or above this node's last write stamp too: an invalidation after a write voids it (stamp <= mark).
            var next = Math.Max(Math.Max(High(), last + 1), Volatile.Read(ref _lastWrite));
            if (Interlocked.CompareExchange(ref _lastMark, next, last) == last)
            {
                return next;
            }
        }
    }

    /// <summary>
    /// The stamp of a value the caller writes now (<c>SetAsync</c>): it is current by the caller's word, so it has to
    /// be newer than this node's own earlier invalidations and writes; a load's stamp is <see cref="Low"/> instead.
    /// Strictly increasing: two writes right after a removal both sat at its mark + 1 before, and in Redis (which
    /// keeps a value stamped at or after the incoming one) the second, newer value lost to the first.
    /// </summary>
    public long WriteStamp()
    {
        while (true)
        {
            var last = Volatile.Read(ref _lastWrite);
            var next = Math.Max(Math.Max(Low(), Volatile.Read(ref _lastMark) + 1), last + 1);
            if (Interlocked.CompareExchange(ref _lastWrite, next, last) == last)
            {
                return next;
            }
        }
    }

    /// <summary>
    /// Takes a <c>TIME</c> reply. Returns true when this starts a new era: the first sample, or one the previous
    /// estimate's bounds did not contain (the reference clock stepped or changed).
    /// </summary>
    /// <param name="referenceUs">The server's time in microseconds.</param>
    /// <param name="sentTimestamp">This machine's <see cref="TimeProvider.GetTimestamp"/> before the request.</param>
    /// <param name="receivedTimestamp">The same after the reply.</param>
    public bool Calibrate(long referenceUs, long sentTimestamp, long receivedTimestamp)
    {
        var sent = ToUs(sentTimestamp);
        var received = ToUs(receivedTimestamp);
        var middle = sent + ((received - sent) / 2);
        var fresh = new Sample(middle, referenceUs, ((received - sent) / 2) + SampleSlackUs, Calibrated: true);
        lock (_gate)
        {
            _samplesTaken++;
            _bestSampleErrorUs = Math.Min(_bestSampleErrorUs, fresh.ErrorUs);
            var current = _sample;
            var predicted = current.ReferenceUs + (middle - current.LocalUs);
            var allowed = Error(current, middle) + fresh.ErrorUs;
            var consistent = current.Calibrated && Math.Abs(predicted - referenceUs) <= allowed;

            // A tighter sample replaces the current one; a looser one that agrees adds nothing.
            if (!consistent || fresh.ErrorUs <= Error(current, middle))
            {
                Volatile.Write(ref _sample, fresh);
            }

            if (!consistent)
            {
                Interlocked.Increment(ref _era);
            }

            return !consistent;
        }
    }

    private static long Error(Sample sample, long localUs) =>
        sample.Calibrated ? sample.ErrorUs + (Math.Max(0, localUs - sample.LocalUs) / DriftDivisor) : 0;

    private long LocalUs() => ToUs(_time.GetTimestamp());

    private long ToUs(long timestamp) => (long)(timestamp * (1_000_000.0 / _time.TimestampFrequency));

    private sealed record Sample(long LocalUs, long ReferenceUs, long ErrorUs, bool Calibrated);
}
