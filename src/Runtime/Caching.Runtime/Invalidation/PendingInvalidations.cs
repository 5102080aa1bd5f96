namespace Caching.Invalidation;

/// <summary>
/// Invalidations that could not reach Redis, waiting for it. Bounded and de-duplicated: one entry per key, pattern or
/// scope; a run-time pattern absorbs the pending keys it matches; past the capacity everything collapses into one
/// invalidation of the whole prefix (coarse, still safe). Marks are given when an entry is replayed, not when it was
/// queued, so a replay also covers whatever was written in between. Thread-safe.
/// </summary>
internal sealed class PendingInvalidations(int capacity)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(InvalidationKind Kind, string Target, ulong Scope), Pending> _items = [];
    private bool _all;
    private long _allSequence;
    private long _sequence;
    private long _collapses;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _all ? 1 : _items.Count;
            }
        }
    }

    public bool IsEmpty => Count == 0;

    /// <summary>How often the queue overflowed into one whole-prefix invalidation.</summary>
    public long Collapses => Interlocked.Read(ref _collapses);

    /// <summary>Adds an invalidation; returns true when the queue was empty before (the start of an outage).</summary>
    public bool Add(InvalidationMessage message)
    {
        lock (_gate)
        {
            var wasEmpty = !_all && _items.Count == 0;
            var sequence = ++_sequence;
            if (_all)
            {
                // Covered, but the whole-prefix entry must now be replayed after this one was asked for.
                _allSequence = sequence;
                return wasEmpty;
            }

            if (message.Kind == InvalidationKind.All)
            {
                CollapseToAll(sequence);
                return wasEmpty;
            }

            if (message.Kind == InvalidationKind.Pattern)
            {
                List<(InvalidationKind, string, ulong)>? covered = null;
                foreach (var item in _items)
                {
                    if (item.Key.Kind == InvalidationKind.Key && Internal.GlobPattern.IsMatch(message.Target, item.Key.Target))
                    {
                        (covered ??= []).Add(item.Key);
                    }
                }

                covered?.ForEach(key => _items.Remove(key));
            }

            _items[(message.Kind, message.Target, message.Scope)] = new Pending(message, sequence);
            if (_items.Count > capacity)
            {
                Interlocked.Increment(ref _collapses);
                CollapseToAll(sequence);
            }

            return wasEmpty;
        }
    }

    /// <summary>Gives every queued invalidation <paramref name="mark"/> (after the clock changed its time base).</summary>
    public void Remark(long mark)
    {
        lock (_gate)
        {
            foreach (var key in _items.Keys.ToArray())
            {
                var item = _items[key];
                _items[key] = item with { Message = item.Message with { Mark = mark } };
            }
        }
    }

    public Pending[] Snapshot()
    {
        lock (_gate)
        {
            return _all ? [new Pending(InvalidationMessage.ForAll(0), _allSequence)] : [.. _items.Values];
        }
    }

    /// <summary>
    /// Removes an entry once it reached Redis (or was given up for good), unless it was asked for again since the
    /// snapshot: then the newer request still needs its own replay.
    /// </summary>
    public void Remove(Pending pending)
    {
        lock (_gate)
        {
            var message = pending.Message;
            if (message.Kind == InvalidationKind.All)
            {
                if (_all && _allSequence == pending.Sequence)
                {
                    _all = false;
                }

                return;
            }

            var key = (message.Kind, message.Target, message.Scope);
            if (_items.TryGetValue(key, out var current) && current.Sequence == pending.Sequence)
            {
                _items.Remove(key);
            }
        }
    }

    private void CollapseToAll(long sequence)
    {
        _all = true;
        _allSequence = sequence;
        _items.Clear();
    }
}

/// <summary>A queued invalidation and when it was last asked for.</summary>
internal readonly record struct Pending(InvalidationMessage Message, long Sequence);
