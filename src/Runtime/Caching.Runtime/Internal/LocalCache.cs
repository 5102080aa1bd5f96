using Microsoft.Extensions.Caching.Memory;

namespace Caching.Internal;

/// <summary>
/// L1: a size-bounded <see cref="MemoryCache"/> whose entry size is the serialized byte length, so
/// <c>CACHE_LOCAL_SIZE_MB</c> bounds real memory rather than an entry count.
/// </summary>
internal sealed class LocalCache : IDisposable
{
    private readonly MemoryCache _cache;

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

    public int RemoveTagged(string tag)
    {
        var removed = 0;
        foreach (var key in _cache.Keys)
        {
            if (_cache.TryGetValue(key, out var value) && value is LocalEntry entry && entry.HasTag(tag))
            {
                _cache.Remove(key);
                removed++;
            }
        }

        return removed;
    }

    public void Clear() => _cache.Clear();

    public void Dispose() => _cache.Dispose();
}
