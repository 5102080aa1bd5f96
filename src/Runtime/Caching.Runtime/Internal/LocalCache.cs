using Microsoft.Extensions.Caching.Memory;

namespace Caching.Internal;

/// <summary>What a guarded L1 store did.</summary>
internal enum LocalWrite
{
    Stored,

    /// <summary>A newer entry was there, or the value's L1 time had already run out: nothing to do.</summary>
    Kept,

    /// <summary>An invalidation since the value was loaded forbids storing it anywhere.</summary>
    Forbidden,
}

/// <summary>
/// L1: a size-bounded <see cref="MemoryCache"/> whose entry size is the serialized byte length, so
/// <c>CACHE_LOCAL_SIZE_MB</c> bounds real memory rather than an entry count.
/// </summary>
internal sealed class LocalCache : IDisposable
{
    private readonly MemoryCache _cache;
    private readonly Lock[] _stripes = CreateStripes(64);

    public LocalCache(long sizeLimitBytes, TimeSpan expirationScanFrequency)
    {
        SizeLimitBytes = sizeLimitBytes;
        _cache = new MemoryCache(new MemoryCacheOptions
        {
            SizeLimit = sizeLimitBytes,
            ExpirationScanFrequency = expirationScanFrequency,
            TrackStatistics = true,
            CompactionPercentage = 0.10,
        });
    }

    public long SizeLimitBytes { get; }

    public long SizeBytes => _cache.GetCurrentStatistics()?.CurrentEstimatedSize ?? 0;

    public int Count => _cache.Count;

    public bool TryGet(string key, out LocalEntry? entry)
    {
        if (_cache.TryGetValue(key, out var value))
        {
            entry = value as LocalEntry;
            return entry is not null;
        }

        entry = null;
        return false;
    }

    public void Set(string key, LocalEntry entry, long sizeBytes, TimeSpan timeToLive)
    {
        if (timeToLive <= TimeSpan.Zero || sizeBytes > SizeLimitBytes)
        {
            _cache.Remove(key);
            return;
        }

        using var cacheEntry = _cache.CreateEntry(key);
        cacheEntry.Value = entry;
        cacheEntry.Size = Math.Max(1, sizeBytes);
        cacheEntry.AbsoluteExpirationRelativeToNow = timeToLive;
    }

    public void Remove(string key) => _cache.Remove(key);

    /// <summary>
    /// Stores an entry unless the one there is newer, atomically with respect to other stores and removals of the same
    /// key (one lock per key stripe, taken on the miss path only). <paramref name="allowed"/> runs under the lock; a
    /// time to live of zero or less checks and stores nothing.
    /// </summary>
    public LocalWrite SetIfNewer<TState>(string key, LocalEntry entry, long sizeBytes, TimeSpan timeToLive, TState state, Func<TState, bool> allowed)
    {
        lock (Stripe(key))
        {
            if (!allowed(state))
            {
                return LocalWrite.Forbidden;
            }

            if (timeToLive <= TimeSpan.Zero || (TryGet(key, out var current) && current!.Stamp > entry.Stamp))
            {
                return LocalWrite.Kept;
            }

            Set(key, entry, sizeBytes, timeToLive);
            return LocalWrite.Stored;
        }
    }

    /// <summary>
    /// Removes a key's entry if it is stamped below <paramref name="floor"/>, after <paramref name="record"/> ran,
    /// under the key's stripe lock, so no store slips between the two. Returns whether an entry was removed.
    /// </summary>
    public bool RemoveOlderThan<TState>(string key, long floor, TState state, Action<TState> record)
    {
        lock (Stripe(key))
        {
            record(state);
            if (TryGet(key, out var current) && current!.Stamp >= floor)
            {
                return false;
            }

            var existed = _cache.TryGetValue(key, out _);
            _cache.Remove(key);
            return existed;
        }
    }

    private Lock Stripe(string key) => _stripes[(int)((uint)StringComparer.Ordinal.GetHashCode(key) % (uint)_stripes.Length)];

    /// <summary>Removes every key matching a glob pattern. L1 is bounded, so a walk over its keys is bounded too.</summary>
    public int RemoveMatching(string pattern)
    {
        var removed = 0;
        foreach (var key in _cache.Keys)
        {
            if (key is string text && GlobPattern.IsMatch(pattern, text))
            {
                _cache.Remove(key);
                removed++;
            }
        }

        return removed;
    }

    public void Clear() => _cache.Clear();

    public void Dispose() => _cache.Dispose();

    private static Lock[] CreateStripes(int count)
    {
        var stripes = new Lock[count];
        for (var i = 0; i < count; i++)
        {
            stripes[i] = new Lock();
        }

        return stripes;
    }
}
