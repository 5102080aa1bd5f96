namespace Caching.Internal;

/// <summary>
/// One direction of one tier that an entry skips. <see cref="CacheEntryOptions.SkipLocal"/> and
/// <see cref="CacheEntryOptions.SkipRedis"/> skip both directions; HybridCache's flags
/// (<c>DisableLocalCacheRead</c>, <c>DisableDistributedCacheWrite</c>...) need each one apart.
/// </summary>
[Flags]
internal enum TierAccess
{
    None = 0,
    NoLocalRead = 1,
    NoLocalWrite = 2,
    NoRedisRead = 4,
    NoRedisWrite = 8,
}
