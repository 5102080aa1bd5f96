using System.Collections.Concurrent;
using Caching.Internal;

namespace Caching.Invalidation;

/// <summary>What a check of an entry against the invalidations known here found.</summary>
internal enum Verdict
{
    Valid,
    Invalid,

    /// <summary>Some scope's mark is not known here and the entry is old enough for it to matter: fetch it from Redis.</summary>
    Unknown,
}

/// <summary>
/// This node's knowledge of invalidations, in reference-clock microseconds: a mark per scope (entries of the scope
/// stamped at or before it are dead), a mark for everything, the recent run-time patterns that were applied by SCAN,
/// and a floor below which a scope this node holds no mark for is not known to be clean. Every change bumps
/// <see cref="Epoch"/>, so an L1 entry re-checks itself only after something changed. All of it is bounded: scopes by
/// count (the oldest marks make way and raise the floor), patterns by count and age (an overflow becomes a mark for
/// everything), so nothing grows with the number of writes or invalidations.
/// </summary>
internal sealed class Knowledge(int scopeCapacity, int patternCapacity, PatternIndex index)
{
    private readonly ConcurrentDictionary<ulong, long> _scopes = new();
    private readonly Lock _patternGate = new();
    private PatternMark[] _patterns = [];
    private long _patternsNewest;
    private long _patternsForgotten;
    private long _floor;
    private long _redisFloor;
    private long _listeningSince = long.MaxValue;
    private long _epoch;

    public long Epoch => Volatile.Read(ref _epoch);

    /// <summary>The newest mark of a run-time pattern no longer remembered: a load that began before it cannot be checked against it.</summary>
    public long PatternsForgotten => Volatile.Read(ref _patternsForgotten);

    public void MarkScope(ulong scope, long mark)
    {
        Raise(scope, mark);
        Bump();
        if (_scopes.Count > scopeCapacity)
        {
            Shrink();
        }
    }

    /// <summary>Takes a mark read from Redis (0: none there). Only a raise changes what entries may be used.</summary>
    public void Learn(ulong scope, long mark)
    {
        var before = _scopes.TryGetValue(scope, out var known) ? known : -1;
        if (Raise(scope, mark) > before && before >= 0)
        {
            Bump();
        }

        if (_scopes.Count > scopeCapacity)
        {
            Shrink();
        }
    }

    public void MarkAll(long mark) => MarkScope(Scopes.All, mark);

    /// <summary>
    /// The backplane subscription is up since <paramref name="since"/> (or down: <see cref="long.MaxValue"/>). An entry
    /// read from Redis that is older than that may have been invalidated by a message this node never got, so its
    /// unknown scopes must be fetched; a value this node loads itself is checked against what it knows.
    /// </summary>
    public void Listening(long since) => Volatile.Write(ref _listeningSince, since);

    public void MarkPattern(string pattern, long mark)
    {
        lock (_patternGate)
        {
            var current = _patterns;
            var next = new List<PatternMark>(current.Length + 1);
            foreach (var existing in current)
            {
                // The same pattern twice is one entry with the later mark.
                if (!string.Equals(existing.Pattern, pattern, StringComparison.Ordinal))
                {
                    next.Add(existing);
                }
            }

            next.Add(new PatternMark(pattern, mark));
            if (next.Count > patternCapacity)
            {
                // Too many to check one by one: everything older than the dropped one is dead instead. Coarse, safe.
                var dropped = next[0];
                next.RemoveAt(0);
                Raise(Scopes.All, dropped.Mark);
                AtomicMax.Raise(ref _patternsForgotten, dropped.Mark);
            }

            Volatile.Write(ref _patterns, next.ToArray());
            AtomicMax.Raise(ref _patternsNewest, mark);
        }

        Bump();
    }

    /// <summary>
    /// Drops run-time patterns marked before <paramref name="before"/> (Redis has been swept of their stragglers by
    /// then); loads that began before the newest of them store nothing.
    /// </summary>
    public void ForgetPatternsBefore(long before)
    {
        lock (_patternGate)
        {
            var current = _patterns;
            if (current.Length == 0 || current[0].Mark >= before)
            {
                return;
            }

            foreach (var pattern in current)
            {
                if (pattern.Mark < before)
                {
                    AtomicMax.Raise(ref _patternsForgotten, pattern.Mark);
                }
            }

            Volatile.Write(ref _patterns, Array.FindAll(current, p => p.Mark >= before));
        }
    }

    /// <summary>
    /// Forgets every scope mark: from <paramref name="floor"/> down nothing is known about entries read from Redis,
    /// and with <paramref name="ownLoadsToo"/> about this node's own loads either (after a lost subscription: a load in
    /// flight may have crossed an invalidation whose message never came; after a new clock era, the era itself keeps
    /// such loads from storing).
    /// </summary>
    public void Reset(long floor, bool ownLoadsToo)
    {
        _scopes.Clear();
        AtomicMax.Raise(ref _redisFloor, floor);
        if (ownLoadsToo)
        {
            AtomicMax.Raise(ref _floor, floor);
        }

        Bump();
    }

    /// <summary>
    /// May an entry of <paramref name="key"/> stamped <paramref name="stamp"/> with these tag scopes be used or stored?
    /// Unknown scopes (their marks not held here, the entry at or below the floor) are added to <paramref name="unknown"/>.
    /// <paramref name="fromRedis"/>: the entry was read from Redis, so it may predate this node's subscription.
    /// </summary>
    public Verdict Check(string key, long stamp, ReadOnlySpan<ulong> tagScopes, bool fromRedis, List<ulong>? unknown)
    {
        var floor = fromRedis
            ? Math.Max(Math.Max(Volatile.Read(ref _floor), Volatile.Read(ref _redisFloor)), Volatile.Read(ref _listeningSince))
            : Volatile.Read(ref _floor);
        var anyUnknown = false;
        if (IsInvalid(CheckScope(Scopes.All, stamp, floor, unknown), ref anyUnknown))
        {
            return Verdict.Invalid;
        }

        if (stamp <= Volatile.Read(ref _patternsNewest))
        {
            foreach (var pattern in Volatile.Read(ref _patterns))
            {
                if (stamp <= pattern.Mark && GlobPattern.IsMatch(pattern.Pattern, key))
                {
                    return Verdict.Invalid;
                }
            }
        }

        var depth = 0;
        for (var i = key.IndexOf(':'); i >= 0 && depth < Scopes.MaxPrefixDepth; i = key.IndexOf(':', i + 1), depth++)
        {
            if (IsInvalid(CheckScope(Scopes.Prefix(key.AsSpan(0, i + 1)), stamp, floor, unknown), ref anyUnknown))
            {
                return Verdict.Invalid;
            }
        }

        if (!index.IsEmpty)
        {
            Span<ulong> indexed = stackalloc ulong[PatternIndex.MaxScopesPerKey];
            var count = index.ScopesOf(key, indexed);
            if (count < 0)
            {
                return Verdict.Invalid;
            }

            foreach (var scope in indexed[..count])
            {
                if (IsInvalid(CheckScope(scope, stamp, floor, unknown), ref anyUnknown))
                {
                    return Verdict.Invalid;
                }
            }
        }

        foreach (var scope in tagScopes)
        {
            if (IsInvalid(CheckScope(scope, stamp, floor, unknown), ref anyUnknown))
            {
                return Verdict.Invalid;
            }
        }

        return anyUnknown ? Verdict.Unknown : Verdict.Valid;
    }

    /// <summary>Invalid ends the check at once; Unknown is remembered, since a later scope may still be invalid.</summary>
    private static bool IsInvalid(Verdict verdict, ref bool anyUnknown)
    {
        anyUnknown |= verdict == Verdict.Unknown;
        return verdict == Verdict.Invalid;
    }

    private Verdict CheckScope(ulong scope, long stamp, long floor, List<ulong>? unknown)
    {
        if (_scopes.TryGetValue(scope, out var mark))
        {
            return stamp <= mark ? Verdict.Invalid : Verdict.Valid;
        }

        if (stamp > floor)
        {
            // Any mark above this stamp was set after this node started listening, so its message reached it.
            return Verdict.Valid;
        }

        unknown?.Add(scope);
        return Verdict.Unknown;
    }

    private long Raise(ulong scope, long mark) => _scopes.AddOrUpdate(scope, static (_, raised) => raised, static (_, existing, raised) => Math.Max(existing, raised), mark);

    private void Bump() => Interlocked.Increment(ref _epoch);

    /// <summary>
    /// Keeps the newest half of the marks. A forgotten mark m leaves entries stamped above it unaffected, and the floor
    /// rises to the highest forgotten mark so that entries at or below it fetch their marks again instead.
    /// </summary>
    private void Shrink()
    {
        var snapshot = _scopes.ToArray();
        if (snapshot.Length <= scopeCapacity)
        {
            return;
        }

        Array.Sort(snapshot, static (a, b) => a.Value.CompareTo(b.Value));
        var drop = snapshot.Length - (scopeCapacity / 2);
        long highestDropped = 0;
        for (var i = 0; i < drop; i++)
        {
            if (_scopes.TryRemove(snapshot[i]))
            {
                highestDropped = Math.Max(highestDropped, snapshot[i].Value);
            }
        }

        AtomicMax.Raise(ref _floor, highestDropped);
        Bump();
    }

    private readonly record struct PatternMark(string Pattern, long Mark);
}
