namespace Caching;

/// <summary>A snapshot of one cache instance's counters since it started.</summary>
public sealed record CacheStatistics
{
    /// <summary>Requests answered from the in-process cache.</summary>
    public long LocalHits { get; init; }

    /// <summary>Requests answered from Redis.</summary>
    public long RedisHits { get; init; }

    /// <summary>Requests answered by running the source (or by joining a source load already running).</summary>
    public long SourceHits { get; init; }

    /// <summary>Lookups (<see cref="IMultiLayerCache.GetAsync{T}"/>) that found nothing.</summary>
    public long Misses { get; init; }

    /// <summary>All requests: GetOrSet and Get calls.</summary>
    public long TotalRequests { get; init; }

    /// <summary>Redis operations that failed or timed out.</summary>
    public long Errors { get; init; }

    /// <summary>Payloads in Redis that could not be read (corrupted, foreign or old schema) and were deleted.</summary>
    public long BadPayloads { get; init; }

    /// <summary>Invalidations performed by this instance (keys, patterns and tags).</summary>
    public long Invalidations { get; init; }

    /// <summary>Bytes currently held by the in-process cache.</summary>
    public long LocalSizeBytes { get; init; }

    /// <summary>Share of requests answered by a cache tier: (LocalHits + RedisHits) / TotalRequests.</summary>
    public double HitRate => TotalRequests == 0 ? 0 : (double)(LocalHits + RedisHits) / TotalRequests;

    /// <summary>Share of requests answered by the in-process cache: LocalHits / TotalRequests.</summary>
    public double LocalHitRate => TotalRequests == 0 ? 0 : (double)LocalHits / TotalRequests;
}
