namespace Caching;

/// <summary>
/// Caches the result of an interface method under a key built from <paramref name="key"/>, a template such as
/// <c>"user:{userId}:profile"</c> whose holes name parameters (or member paths such as <c>{filter.Region}</c>).
/// The source generator emits a decorator that routes the call through <see cref="IMultiLayerCache"/>.
/// </summary>
/// <param name="key">The key template; holes are filled with escaped, culture-invariant argument values.</param>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class CachedAttribute(string key) : Attribute
{
    /// <summary>The key template.</summary>
    public string Key { get; } = key;

    /// <summary>Time to live in the in-process cache, such as <c>"30s"</c>, <c>"5m"</c>, <c>"1h"</c> or <c>"hh:mm:ss"</c>.</summary>
    public string? LocalTtl { get; set; }

    /// <summary>Time to live in Redis, in the same format as <see cref="LocalTtl"/>.</summary>
    public string? RedisTtl { get; set; }

    /// <summary>A named profile from configuration (<c>Cache:Profiles:{name}</c>) supplying defaults for this entry.</summary>
    public string? Profile { get; set; }

    /// <summary>Tag templates (holes allowed) attached to the entry, for <see cref="IMultiLayerCache.RemoveByTagAsync"/>.</summary>
    public string[]? Tags { get; set; }

    /// <summary>Whether a <see langword="null"/> result is cached (default: it is not, and the next call asks the source again).</summary>
    public bool CacheNull { get; set; }

    /// <summary>With a stale value at hand, how long a caller waits for the method before it gets the stale value (<see cref="CacheEntryOptions.FactorySoftTimeout"/>), as a duration like <see cref="LocalTtl"/>.</summary>
    public string? FactorySoftTimeout { get; set; }

    /// <summary>The longest a caller waits for the method (<see cref="CacheEntryOptions.FactoryHardTimeout"/>), as a duration like <see cref="LocalTtl"/>.</summary>
    public string? FactoryHardTimeout { get; set; }

    /// <summary>A fraction of the in-process time to live after which a hit starts one background refresh (<see cref="CacheEntryOptions.EagerRefreshThreshold"/>); 0: none.</summary>
    public double EagerRefreshThreshold { get; set; }

    /// <summary>Up to this much random extra time to live per store (<see cref="CacheEntryOptions.JitterMaxDuration"/>), as a duration like <see cref="LocalTtl"/>.</summary>
    public string? JitterMaxDuration { get; set; }

    /// <summary>One load per key across all nodes, through a lock in Redis (<see cref="CacheEntryOptions.DistributedLock"/>).</summary>
    public bool DistributedLock { get; set; }

    /// <summary>
    /// Overrides the compile-time decision whether an in-process hit may return the shared instance
    /// (<see cref="ValueSharing.Share"/>) or must return a copy (<see cref="ValueSharing.Copy"/>).
    /// </summary>
    public ValueSharing Sharing { get; set; } = ValueSharing.Auto;
}
