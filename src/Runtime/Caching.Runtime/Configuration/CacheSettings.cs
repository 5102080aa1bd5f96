using System.Collections.Concurrent;
using System.Collections.Frozen;

namespace Caching;

/// <summary>
/// The part of <see cref="MultiLayerCacheOptions"/> that follows configuration reloads, frozen: default TTLs and
/// fail-safe, profiles, and per-method overrides. The cache holds one and swaps it whole when the options monitor
/// reports a change, so a call sees either the old settings or the new ones, never a mix. Each entry options instance
/// remembers what it resolved to under which snapshot (<see cref="CacheEntryOptions.Settings"/>): on the hot path a
/// call costs one reference comparison, not a configuration read.
/// </summary>
internal sealed class CacheSettings
{
    // Per-call options of one method (tags that depend on arguments) are new instances each call; they share the
    // resolution by method name instead. The bound keeps names made up at run time from growing it without end.
    private const int MaxRememberedMethods = 4096;

    private readonly FrozenDictionary<string, EntryValues> _profiles;
    private readonly FrozenDictionary<string, EntryValues> _methods;
    private readonly ConcurrentDictionary<string, EntrySettings> _byMethod = new(StringComparer.Ordinal);
    private readonly TimeSpan _localTtl;
    private readonly TimeSpan _redisTtl;
    private readonly bool _failSafe;
    private readonly TimeSpan _failSafeMaxDuration;
    private readonly ResilienceSettings _resilience;

    private CacheSettings(MultiLayerCacheOptions options)
    {
        _localTtl = options.LocalTtl;
        _redisTtl = options.RedisTtl;
        _failSafe = options.FailSafe;
        _failSafeMaxDuration = options.FailSafeMaxDuration;
        _resilience = new ResilienceSettings(
            options.FactorySoftTimeout ?? Timeout.InfiniteTimeSpan,
            options.FactoryHardTimeout ?? Timeout.InfiniteTimeSpan,
            options.EagerRefreshThreshold ?? 0,
            options.JitterMaxDuration,
            options.DistributedLock);
        _profiles = options.Profiles.ToFrozenDictionary(p => p.Key, p => new EntryValues(p.Value), StringComparer.OrdinalIgnoreCase);
        _methods = options.Methods.ToFrozenDictionary(m => m.Key, m => new EntryValues(m.Value), StringComparer.OrdinalIgnoreCase);
    }

    public static CacheSettings From(MultiLayerCacheOptions options) => new(options);

    /// <summary>
    /// What <paramref name="options"/> come to under these settings. Precedence, highest first:
    /// <c>Cache:Methods:{Method}</c>, the options themselves (the attribute), their profile, the defaults.
    /// </summary>
    public EntrySettings For(CacheEntryOptions options)
    {
        var method = options.Method;
        if (method is not null && _byMethod.TryGetValue(method, out var known) && known.IsFor(options))
        {
            return known;
        }

        var resolved = Resolve(options, method);
        if (method is not null && _byMethod.Count < MaxRememberedMethods)
        {
            _byMethod[method] = resolved;
        }

        return resolved;
    }

    private EntrySettings Resolve(CacheEntryOptions options, string? method)
    {
        EntryValues profile = default;
        if (options.Profile is { } name && !_profiles.TryGetValue(name, out profile))
        {
            throw new CacheConfigurationException($"Cache:Profiles:{name}", null, $"a profile named '{name}' in configuration (known: {string.Join(", ", _profiles.Keys)})");
        }

        EntryValues own = default;
        if (method is not null)
        {
            _methods.TryGetValue(method, out own);
        }

        return new EntrySettings(
            this,
            options,
            enabled: own.Enabled ?? profile.Enabled ?? true,
            localTtl: own.LocalTtl ?? options.LocalTtl ?? profile.LocalTtl ?? _localTtl,
            redisTtl: own.RedisTtl ?? options.RedisTtl ?? profile.RedisTtl ?? _redisTtl,
            skipLocal: own.SkipLocal ?? (options.SkipLocal || (profile.SkipLocal ?? false)),
            skipRedis: own.SkipRedis ?? (options.SkipRedis || (profile.SkipRedis ?? false)),
            failSafe: own.FailSafe ?? options.FailSafe ?? profile.FailSafe ?? _failSafe,
            failSafeMaxDuration: options.FailSafeMaxDuration ?? _failSafeMaxDuration,
            resilience: new ResilienceSettings(
                own.SoftTimeout ?? options.FactorySoftTimeout ?? profile.SoftTimeout ?? _resilience.SoftTimeout,
                own.HardTimeout ?? options.FactoryHardTimeout ?? profile.HardTimeout ?? _resilience.HardTimeout,
                own.EagerRefresh ?? options.EagerRefreshThreshold ?? profile.EagerRefresh ?? _resilience.EagerRefresh,
                own.Jitter ?? options.JitterMaxDuration ?? profile.Jitter ?? _resilience.Jitter,
                own.DistributedLock ?? options.DistributedLock ?? profile.DistributedLock ?? _resilience.DistributedLock));
    }

    /// <summary>A profile's or a method's values, copied so that a later change to the mutable options changes nothing here.</summary>
    private readonly record struct EntryValues(
        TimeSpan? LocalTtl, TimeSpan? RedisTtl, bool? SkipLocal, bool? SkipRedis, bool? FailSafe, bool? Enabled,
        TimeSpan? SoftTimeout, TimeSpan? HardTimeout, double? EagerRefresh, TimeSpan? Jitter, bool? DistributedLock)
    {
        public EntryValues(CacheProfile profile)
            : this(profile.LocalTtl, profile.RedisTtl, profile.SkipLocal, profile.SkipRedis, profile.FailSafe, profile.Enabled,
                profile.FactorySoftTimeout, profile.FactoryHardTimeout, profile.EagerRefreshThreshold, profile.JitterMaxDuration, profile.DistributedLock)
        {
        }
    }
}
