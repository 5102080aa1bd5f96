namespace Caching;

/// <summary>
/// A named set of entry defaults, bound from <c>Cache:Profiles:{name}</c> and referenced by <c>[Cached(Profile = "name")]</c>;
/// the same shape overrides one method from <c>Cache:Methods:{Interface.Method}</c>. Unset values fall through to the
/// next level. These values follow configuration reloads.
/// </summary>
public sealed class CacheProfile
{
    /// <summary>In-process time to live.</summary>
    public TimeSpan? LocalTtl { get; set; }

    /// <summary>Redis time to live.</summary>
    public TimeSpan? RedisTtl { get; set; }

    /// <summary>Bypass the in-process cache.</summary>
    public bool? SkipLocal { get; set; }

    /// <summary>Bypass Redis.</summary>
    public bool? SkipRedis { get; set; }

    /// <summary>Fail-safe on/off.</summary>
    public bool? FailSafe { get; set; }

    /// <summary>See <see cref="CacheEntryOptions.FactorySoftTimeout"/>.</summary>
    public TimeSpan? FactorySoftTimeout { get; set; }

    /// <summary>See <see cref="CacheEntryOptions.FactoryHardTimeout"/>.</summary>
    public TimeSpan? FactoryHardTimeout { get; set; }

    /// <summary>See <see cref="CacheEntryOptions.EagerRefreshThreshold"/>.</summary>
    public double? EagerRefreshThreshold { get; set; }

    /// <summary>See <see cref="CacheEntryOptions.JitterMaxDuration"/>.</summary>
    public TimeSpan? JitterMaxDuration { get; set; }

    /// <summary>See <see cref="CacheEntryOptions.DistributedLock"/>.</summary>
    public bool? DistributedLock { get; set; }

    /// <summary>
    /// The kill switch: <see langword="false"/> makes every call of the methods it covers go straight to the source,
    /// with no cache read or write. A method's own setting wins over its profile's.
    /// </summary>
    public bool? Enabled { get; set; }
}
