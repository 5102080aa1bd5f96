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
}
