namespace Caching;

/// <summary>
/// Per-entry options. Unset values come from the named <see cref="Profile"/>, then from <see cref="MultiLayerCacheOptions"/>.
/// Instances are immutable once built and are meant to be shared (a generated decorator keeps one per method).
/// </summary>
public sealed class CacheEntryOptions
{
    /// <summary>Time to live in the in-process cache.</summary>
    public TimeSpan? LocalTtl { get; init; }

    /// <summary>Time to live in Redis.</summary>
    public TimeSpan? RedisTtl { get; init; }

    private ulong[]? _tagScopes;

    /// <summary>Tags attached to the entry, for <see cref="IMultiLayerCache.RemoveByTagAsync"/> (at most 255).</summary>
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>The tags' invalidation scopes, hashed once per options instance (they are shared across calls).</summary>
    internal ulong[]? TagScopes => _tagScopes ??= Caching.Invalidation.Scopes.Tags(Tags);

    /// <summary>Bypass the in-process cache for this entry.</summary>
    public bool SkipLocal { get; init; }

    /// <summary>Bypass Redis for this entry.</summary>
    public bool SkipRedis { get; init; }

    /// <summary>Cache a <see langword="null"/> result (default: not cached).</summary>
    public bool CacheNull { get; init; }

    /// <summary>Serve the last value after its expiry when the source fails (default from <see cref="MultiLayerCacheOptions.FailSafe"/>).</summary>
    public bool? FailSafe { get; init; }

    /// <summary>How long past its expiry a value may still be served by fail-safe.</summary>
    public TimeSpan? FailSafeMaxDuration { get; init; }

    /// <summary>A named profile from configuration supplying the values not set here.</summary>
    public string? Profile { get; init; }

    /// <summary>
    /// The name configuration knows these entries by: <c>Cache:Methods:{Method}:Enabled=false</c> turns caching off for
    /// them, <c>Cache:Methods:{Method}:LocalTtl</c> (and the other <see cref="CacheProfile"/> values) override these
    /// options, through configuration reloads. Generated decorators set it to the declaring interface's simple name
    /// and the method's name, such as <c>IUserService.GetProfileAsync</c>.
    /// </summary>
    public string? Method { get; init; }

    /// <summary>What these options resolved to under the cache's current settings; replaced when they are reloaded.</summary>
    internal EntrySettings? Settings { get; set; }

    /// <summary>Whether an in-process hit shares the cached instance or returns a copy.</summary>
    public ValueSharing Sharing { get; init; }

    /// <summary>
    /// A short fingerprint of the value's serialized shape (the generator computes it from the type's members).
    /// Stored with the entry; an entry written with another fingerprint is a clean miss after a deployment.
    /// </summary>
    public string? SchemaTag { get; init; }
}
