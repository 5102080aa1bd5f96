namespace Caching;

/// <summary>A named set of entry defaults, bound from <c>Cache:Profiles:{name}</c> and referenced by <c>[Cached(Profile = "name")]</c>.</summary>
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
}
