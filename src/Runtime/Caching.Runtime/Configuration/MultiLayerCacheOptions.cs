using System.Text.Json;
using Caching.Invalidation;

namespace Caching;

/// <summary>
/// Settings of a <see cref="MultiLayerCache"/>. <c>AddMultiLayerCache(configuration)</c> fills them from the
/// <c>Cache</c> configuration section and the <c>CACHE_*</c> environment variables (which win).
/// </summary>
public sealed class MultiLayerCacheOptions
{
    /// <summary>In-process cache on/off (<c>CACHE_LOCAL_ENABLED</c>).</summary>
    public bool LocalEnabled { get; set; } = true;

    /// <summary>In-process budget in megabytes of serialized entries (<c>CACHE_LOCAL_SIZE_MB</c>).</summary>
    public long LocalSizeMb { get; set; } = 100;

    /// <summary>Default in-process time to live (<c>CACHE_LOCAL_TTL</c>).</summary>
    public TimeSpan LocalTtl { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often expired in-process entries are swept (<c>CACHE_LOCAL_EVICTION</c>).</summary>
    public TimeSpan LocalEviction { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Redis on/off (<c>CACHE_REDIS_ENABLED</c>).</summary>
    public bool RedisEnabled { get; set; } = true;

    /// <summary>Default Redis time to live (<c>CACHE_REDIS_TTL</c>).</summary>
    public TimeSpan RedisTtl { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Namespace of every Redis key and of the backplane channel (<c>CACHE_KEY_PREFIX</c>; default: the application name).</summary>
    public string KeyPrefix { get; set; } = DefaultPrefix();

    /// <summary>Number of Redis connections (<c>REDIS_POOL_SIZE</c>; default 1: one multiplexer pipelines all calls).</summary>
    public int RedisPoolSize { get; set; } = 1;

    /// <summary>StackExchange.Redis configuration string: endpoints, cluster, TLS, password (<c>CACHE_REDIS_CONNECTION</c>).</summary>
    public string RedisConnection { get; set; } = DefaultRedisConnection;

    /// <summary>
    /// Whether the cache uses the <c>IConnectionMultiplexer</c> registered in the container (Aspire's
    /// <c>AddRedisClient</c>, or the application's own) instead of connecting by itself (<c>Cache:UseRegisteredConnection</c>).
    /// Default (null): it does when one is registered. <see langword="true"/>: it must (startup fails without one);
    /// <see langword="false"/>: it never does. A shared connection is never disposed by the cache, and
    /// <see cref="RedisConnection"/> and <see cref="RedisPoolSize"/> are then ignored.
    /// </summary>
    public bool? UseRegisteredConnection { get; set; }

    /// <summary>Values whose serialized form is larger are returned but not cached (default 1 MB).</summary>
    public int MaxValueBytes { get; set; } = 1024 * 1024;

    /// <summary>Longest wait for one Redis operation before it counts as failed and the call goes on without Redis.</summary>
    public TimeSpan RedisTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Consecutive Redis failures that open the circuit breaker.</summary>
    public int BreakerFailureThreshold { get; set; } = 3;

    /// <summary>How long an open breaker skips Redis; afterwards calls go through again and the first failure re-opens it.</summary>
    public TimeSpan BreakerDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Keep values past their expiry to serve them when the source fails (default on).</summary>
    public bool FailSafe { get; set; } = true;

    /// <summary>How long past its expiry a value may be served by fail-safe.</summary>
    public TimeSpan FailSafeMaxDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Whether spans carry the key (<c>cache.key</c>) and an invalidation's target (<c>cache.target</c>); default off,
    /// because keys can hold personal data and traces often leave the company (<c>Cache:TraceKeys</c>).
    /// </summary>
    public bool TraceKeys { get; set; }

    /// <summary>Default <see cref="CacheEntryOptions.FactorySoftTimeout"/> (default: none, a caller waits for the source).</summary>
    public TimeSpan? FactorySoftTimeout { get; set; }

    /// <summary>Default <see cref="CacheEntryOptions.FactoryHardTimeout"/> (default: none).</summary>
    public TimeSpan? FactoryHardTimeout { get; set; }

    /// <summary>Default <see cref="CacheEntryOptions.EagerRefreshThreshold"/> (default: none, entries are reloaded after they expire).</summary>
    public double? EagerRefreshThreshold { get; set; }

    /// <summary>Default <see cref="CacheEntryOptions.JitterMaxDuration"/> (default: none).</summary>
    public TimeSpan JitterMaxDuration { get; set; }

    /// <summary>Default <see cref="CacheEntryOptions.DistributedLock"/> (default off: one load per key per node).</summary>
    public bool DistributedLock { get; set; }

    /// <summary>
    /// How long a distributed load lock is held at most (default 10 s): a holder that dies or stalls releases the key
    /// after this long, and another node loads. The other nodes wait for the holder's value at most this long.
    /// </summary>
    public TimeSpan DistributedLockLease { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The longest a load may run and still store its value (default 10 s). A removal's tombstone in Redis and this
    /// node's record of recent removals and run-time patterns last this long; a slower load returns its value uncached.
    /// </summary>
    public TimeSpan StaleSetWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The longest any entry lives in Redis, fail-safe included (default 1 day); longer TTLs are cut to it. An
    /// invalidation's mark is kept in Redis this long, because an entry older than the mark may live that long.
    /// Each distinct scope invalidated (a key prefix such as <c>user:42:</c>, or a tag) costs about 100 bytes of Redis
    /// memory for this period.
    /// </summary>
    public TimeSpan MaxEntryLifetime { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How many invalidation marks this node keeps in memory (default 100,000); beyond it the oldest are re-read from Redis when needed.</summary>
    public int InvalidationScopeCapacity { get; set; } = 100_000;

    /// <summary>How many recent run-time (SCAN) patterns this node checks entries against (default 1,024); beyond it older entries are treated as invalidated.</summary>
    public int InvalidationPatternCapacity { get; set; } = 1024;

    /// <summary>How many invalidations wait for Redis during an outage (default 10,000, de-duplicated); beyond it they collapse into one invalidation of the whole key prefix.</summary>
    public int MaxPendingInvalidations { get; set; } = 10_000;

    /// <summary>
    /// Pattern shapes invalidated by one mark instead of a SCAN of every Redis primary: templates such as
    /// <c>user:*:avatar</c> or <c>tenant:{tenant}:user:*:avatar</c>, whose holes stand for escaped values. Any pattern
    /// passed to <c>InvalidatePatternAsync</c> that is such a shape with its holes filled costs O(1) whatever the size
    /// of Redis. Segment-prefix patterns (<c>user:42:*</c>) need no entry here. The generated
    /// <c>AddCachingDecorators</c> registers every <c>[InvalidatesCache]</c> pattern itself; every node sharing a
    /// key prefix must know the same shapes. A shape cannot use '?' nor put a hole or wildcard next to a wildcard.
    /// </summary>
    public IList<string> IndexedPatterns { get; } = new List<string>();

    /// <summary>Named entry profiles (<c>Cache:Profiles:{name}:LocalTtl</c> ...), matched ignoring case.</summary>
    public IDictionary<string, CacheProfile> Profiles { get; } = new Dictionary<string, CacheProfile>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Per-method overrides (<c>Cache:Methods:{Interface.Method}:Enabled</c>, <c>LocalTtl</c> ...), matched ignoring case.
    /// A generated decorator names its methods by the declaring interface's simple name and the method's name
    /// (<c>IUserService.GetProfileAsync</c>): overloads and every closed form of a generic interface share one entry.
    /// They win over the attribute and the profile, and follow configuration reloads.
    /// </summary>
    public IDictionary<string, CacheProfile> Methods { get; } = new Dictionary<string, CacheProfile>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The serializer; default System.Text.Json with <see cref="JsonOptions"/>.</summary>
    public ICacheSerializer? Serializer { get; set; }

    /// <summary>Options for the default serializer; set a <c>JsonSerializerContext</c> as its TypeInfoResolver for trimming-safe, reflection-free serialization.</summary>
    public JsonSerializerOptions? JsonOptions { get; set; }

    /// <summary>Serializers chosen per value type, in front of <see cref="Serializer"/>: <c>options.Serializers.Add&lt;Invoice&gt;(serializer)</c>.</summary>
    public CacheSerializerRegistry Serializers { get; } = new();

    internal const string DefaultRedisConnection = "localhost:6379";

    internal long LocalSizeBytes => checked(LocalSizeMb * 1024 * 1024);

    /// <summary>A value the configuration binder could not parse; reported by validation, so a reload with it is refused whole.</summary>
    internal CacheConfigurationException? BindingError { get; set; }

    /// <summary>Checks the values and throws <see cref="CacheConfigurationException"/> naming the first bad one.</summary>
    public void Validate()
    {
        // The upper bound keeps LocalSizeBytes from overflowing later, in the cache's constructor, as an OverflowException.
        Require(LocalSizeMb is > 0 and <= long.MaxValue / (1024 * 1024), "CACHE_LOCAL_SIZE_MB", LocalSizeMb, "a positive number of megabytes");
        Require(LocalTtl > TimeSpan.Zero, "CACHE_LOCAL_TTL", LocalTtl, "a positive duration");
        Require(LocalEviction > TimeSpan.Zero, "CACHE_LOCAL_EVICTION", LocalEviction, "a positive duration");
        Require(RedisTtl > TimeSpan.Zero, "CACHE_REDIS_TTL", RedisTtl, "a positive duration");
        Require(RedisPoolSize is > 0 and <= 64, "REDIS_POOL_SIZE", RedisPoolSize, "a number from 1 to 64");
        Require(!string.IsNullOrWhiteSpace(RedisConnection) || !RedisEnabled, "CACHE_REDIS_CONNECTION", RedisConnection, "a StackExchange.Redis configuration string");
        Require(MaxValueBytes > 0, "Cache:MaxValueBytes", MaxValueBytes, "a positive number of bytes");
        Require(RedisTimeout > TimeSpan.Zero, "Cache:RedisTimeout", RedisTimeout, "a positive duration");
        Require(BreakerFailureThreshold > 0, "Cache:BreakerFailureThreshold", BreakerFailureThreshold, "a positive number");
        Require(BreakerDuration > TimeSpan.Zero, "Cache:BreakerDuration", BreakerDuration, "a positive duration");
        Require(FailSafeMaxDuration >= TimeSpan.Zero, "Cache:FailSafeMaxDuration", FailSafeMaxDuration, "a duration");
        Require(FactorySoftTimeout is null || FactorySoftTimeout > TimeSpan.Zero, "Cache:FactorySoftTimeout", FactorySoftTimeout, "a positive duration");
        Require(FactoryHardTimeout is null || FactoryHardTimeout > TimeSpan.Zero, "Cache:FactoryHardTimeout", FactoryHardTimeout, "a positive duration");
        Require(EagerRefreshThreshold is null or (> 0 and < 1), "Cache:EagerRefreshThreshold", EagerRefreshThreshold, "a fraction between 0 and 1 (exclusive)");
        Require(JitterMaxDuration >= TimeSpan.Zero, "Cache:JitterMaxDuration", JitterMaxDuration, "a duration");
        Require(DistributedLockLease > TimeSpan.Zero, "Cache:DistributedLockLease", DistributedLockLease, "a positive duration");
        foreach (var (path, profile) in Profiles.Select(p => ("Cache:Profiles:" + p.Key, p.Value)).Concat(Methods.Select(m => ("Cache:Methods:" + m.Key, m.Value))))
        {
            Require(profile.FactorySoftTimeout is null || profile.FactorySoftTimeout > TimeSpan.Zero, path + ":FactorySoftTimeout", profile.FactorySoftTimeout, "a positive duration");
            Require(profile.FactoryHardTimeout is null || profile.FactoryHardTimeout > TimeSpan.Zero, path + ":FactoryHardTimeout", profile.FactoryHardTimeout, "a positive duration");
            Require(profile.EagerRefreshThreshold is null or (> 0 and < 1), path + ":EagerRefreshThreshold", profile.EagerRefreshThreshold, "a fraction between 0 and 1 (exclusive)");
            Require(profile.JitterMaxDuration is null || profile.JitterMaxDuration >= TimeSpan.Zero, path + ":JitterMaxDuration", profile.JitterMaxDuration, "a duration");
        }

        Require(StaleSetWindow > TimeSpan.Zero, "Cache:StaleSetWindow", StaleSetWindow, "a positive duration");
        Require(MaxEntryLifetime > TimeSpan.Zero, "Cache:MaxEntryLifetime", MaxEntryLifetime, "a positive duration");
        Require(InvalidationScopeCapacity >= 16, "Cache:InvalidationScopeCapacity", InvalidationScopeCapacity, "a number of at least 16");
        Require(InvalidationPatternCapacity >= 1, "Cache:InvalidationPatternCapacity", InvalidationPatternCapacity, "a positive number");
        Require(MaxPendingInvalidations >= 1, "Cache:MaxPendingInvalidations", MaxPendingInvalidations, "a positive number");
        Require(!string.IsNullOrWhiteSpace(KeyPrefix), "CACHE_KEY_PREFIX", KeyPrefix, "a non-empty prefix");
        foreach (var pattern in IndexedPatterns)
        {
            var reason = "it is null";
            Require(pattern is not null && PatternIndex.TryCompile(pattern, out _, out reason), "Cache:IndexedPatterns", pattern, "a pattern that can be indexed, but " + reason);
        }

        RequireEntryValues(Profiles, "Cache:Profiles:");
        RequireEntryValues(Methods, "Cache:Methods:");
        foreach (var c in KeyPrefix)
        {
            Require(!(c is '*' or '?' or '[' or ']' or '\\' or '{' or '}' or ':') && !char.IsWhiteSpace(c) && !char.IsControl(c), "CACHE_KEY_PREFIX", KeyPrefix, "letters, digits, '-', '_' or '.' (no glob characters, braces, ':' or whitespace)");
        }
    }

    private static void RequireEntryValues(IDictionary<string, CacheProfile> entries, string path)
    {
        foreach (var (name, entry) in entries)
        {
            Require(entry is not null, path + name, null, "a set of entry values");
            Require(entry!.LocalTtl is not { } local || local > TimeSpan.Zero, path + name + ":LocalTtl", entry.LocalTtl, "a positive duration");
            Require(entry.RedisTtl is not { } redis || redis > TimeSpan.Zero, path + name + ":RedisTtl", entry.RedisTtl, "a positive duration");
        }
    }

    private static void Require(bool condition, string name, object? value, string expected)
    {
        if (!condition)
        {
            throw new CacheConfigurationException(name, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture), expected);
        }
    }

    private static string DefaultPrefix()
    {
        var name = System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name ?? "app";
        var clean = new System.Text.StringBuilder(name.Length);
        foreach (var c in name)
        {
            clean.Append(char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? char.ToLowerInvariant(c) : '-');
        }

        return clean.Length == 0 ? "app" : clean.ToString();
    }
}
