namespace Caching.Internal;

/// <summary>
/// Closes the stale-set race on this node (DESIGN invariant 2, memcache "leases"): every invalidation seen here,
/// local or from the backplane, gets an epoch number. A load remembers the epoch it started at and, before it
/// writes, asks whether any invalidation since then touches its key; if so the value is returned but not cached.
/// The ring keeps the latest invalidations; a load older than the ring conservatively skips its write.
/// </summary>
internal sealed class InvalidationLog
{
    private const int Capacity = 4096;
    private readonly Invalidation[] _ring = new Invalidation[Capacity];
    private readonly Lock _gate = new();
    private long _epoch;

    public long CurrentEpoch => Volatile.Read(ref _epoch);

    public void Record(Invalidation invalidation)
    {
        lock (_gate)
        {
            var next = _epoch + 1;
            _ring[next % Capacity] = invalidation;
            Volatile.Write(ref _epoch, next);
        }
    }

    /// <summary>True when an invalidation after <paramref name="sinceEpoch"/> may concern the key or its tags.</summary>
    public bool InvalidatedSince(long sinceEpoch, string key, IReadOnlyList<string>? tags)
    {
        if (Volatile.Read(ref _epoch) == sinceEpoch)
        {
            return false;
        }

        lock (_gate)
        {
            if (_epoch - sinceEpoch >= Capacity)
            {
                return true;
            }

            for (var epoch = sinceEpoch + 1; epoch <= _epoch; epoch++)
            {
                if (_ring[epoch % Capacity].Affects(key, tags))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
