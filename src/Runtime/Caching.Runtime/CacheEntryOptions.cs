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
    private TimeSpan? _softTimeout;
    private TimeSpan? _hardTimeout;
    private double? _eagerRefreshThreshold;
    private TimeSpan? _jitterMaxDuration;

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

    /// <summary>
    /// With a stale value at hand (fail-safe), how long a caller waits for the source before it gets the stale value;
    /// the load goes on in the background and updates the cache when it finishes. Applies to asynchronous factories.
    /// </summary>
    public TimeSpan? FactorySoftTimeout { get => _softTimeout; init => _softTimeout = Positive(value, nameof(FactorySoftTimeout)); }

    /// <summary>
    /// The longest a caller waits for the source, stale value or not: then it gets the stale value, or a
    /// <see cref="CacheFactoryTimeoutException"/> when there is none. The load goes on in the background and updates
    /// the cache when it finishes. Applies to asynchronous factories.
    /// </summary>
    public TimeSpan? FactoryHardTimeout { get => _hardTimeout; init => _hardTimeout = Positive(value, nameof(FactoryHardTimeout)); }

    /// <summary>
    /// A fraction of the in-process time to live (0.5 to 0.99 is usual) after which a hit still returns the cached value
    /// but also starts one background load that refreshes the entry before it expires. Only <c>GetOrSet</c> refreshes.
    /// </summary>
    public double? EagerRefreshThreshold
    {
        get => _eagerRefreshThreshold;
        init => _eagerRefreshThreshold = value is null or (> 0 and < 1) ? value : throw new ArgumentOutOfRangeException(nameof(EagerRefreshThreshold), value, "Expected a fraction between 0 and 1 (exclusive).");
    }

    /// <summary>Up to this much random extra time to live per store, so entries loaded together do not expire together.</summary>
    public TimeSpan? JitterMaxDuration
    {
        get => _jitterMaxDuration;
        init => _jitterMaxDuration = value is null || value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(JitterMaxDuration), value, "Expected a duration of zero or more.");
    }

    /// <summary>
    /// Take a lock in Redis before the source runs, so one load per key runs across all nodes and the others read its
    /// result from Redis; see <see cref="MultiLayerCacheOptions.DistributedLockLease"/>.
    /// </summary>
    public bool? DistributedLock { get; init; }

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
    /// How a copy is made when hits must not share (<see cref="Sharing"/>): L1 then keeps a copy of the value and every
    /// hit gets a copy of that, with no serializer on the way. Null (or a copier of another type): the copy is
    /// deserialized from the stored bytes.
    /// </summary>
    public CacheValueCopier? Copier { get; init; }

    /// <summary>
    /// A short fingerprint of the value's serialized shape (the generator computes it from the type's members).
    /// Stored with the entry; an entry written with another fingerprint is a clean miss after a deployment.
    /// </summary>
    public string? SchemaTag { get; init; }

    /// <summary>Tier directions skipped one at a time (the HybridCache facade's flags), on top of <see cref="SkipLocal"/> and <see cref="SkipRedis"/>.</summary>
    internal Caching.Internal.TierAccess Access { get; init; }

    /// <summary>A payload limit for this entry in place of <see cref="MultiLayerCacheOptions.MaxValueBytes"/> (HybridCache's MaximumPayloadBytes).</summary>
    internal int? MaxValueBytes { get; init; }

    private static TimeSpan? Positive(TimeSpan? value, string name) =>
        value is null || value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(name, value, "Expected a positive duration.");
}
