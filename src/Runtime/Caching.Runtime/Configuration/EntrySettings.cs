namespace Caching;

/// <summary>
/// One entry options instance resolved under one <see cref="CacheSettings"/> snapshot: everything the read and write
/// paths need that configuration can change. Immutable; <see cref="Source"/> tells whether it is still current.
/// </summary>
internal sealed class EntrySettings
{
    // The options' own values it was resolved from, so per-call options of one method can share it (IsFor).
    private readonly TimeSpan? _localTtl;
    private readonly TimeSpan? _redisTtl;
    private readonly bool _skipLocal;
    private readonly bool _skipRedis;
    private readonly bool? _failSafe;
    private readonly TimeSpan? _failSafeMaxDuration;
    private readonly string? _profile;
    private readonly TimeSpan? _softTimeout;
    private readonly TimeSpan? _hardTimeout;
    private readonly double? _eagerRefresh;
    private readonly TimeSpan? _jitter;
    private readonly bool? _distributedLock;

    public EntrySettings(CacheSettings source, CacheEntryOptions options, bool enabled, TimeSpan localTtl, TimeSpan redisTtl, bool skipLocal, bool skipRedis, bool failSafe, TimeSpan failSafeMaxDuration, ResilienceSettings resilience)
    {
        Source = source;
        Enabled = enabled;
        LocalTtl = localTtl;
        RedisTtl = redisTtl;
        SkipLocal = skipLocal;
        SkipRedis = skipRedis;
        FailSafe = failSafe;
        FailSafeMaxDuration = failSafeMaxDuration;
        _localTtl = options.LocalTtl;
        _redisTtl = options.RedisTtl;
        _skipLocal = options.SkipLocal;
        _skipRedis = options.SkipRedis;
        _failSafe = options.FailSafe;
        _failSafeMaxDuration = options.FailSafeMaxDuration;
        _profile = options.Profile;
        SoftTimeout = resilience.SoftTimeout;
        HardTimeout = resilience.HardTimeout;
        EagerRefresh = resilience.EagerRefresh;
        Jitter = resilience.Jitter;
        DistributedLock = resilience.DistributedLock;
        _softTimeout = options.FactorySoftTimeout;
        _hardTimeout = options.FactoryHardTimeout;
        _eagerRefresh = options.EagerRefreshThreshold;
        _jitter = options.JitterMaxDuration;
        _distributedLock = options.DistributedLock;
    }

    public CacheSettings Source { get; }

    /// <summary>False when a kill switch (the method's or its profile's) turns caching off: the source is called directly.</summary>
    public bool Enabled { get; }

    public TimeSpan LocalTtl { get; }

    public TimeSpan RedisTtl { get; }

    public bool SkipLocal { get; }

    public bool SkipRedis { get; }

    public bool FailSafe { get; }

    public TimeSpan FailSafeMaxDuration { get; }

    /// <summary><see cref="Timeout.InfiniteTimeSpan"/> when none.</summary>
    public TimeSpan SoftTimeout { get; }

    /// <summary><see cref="Timeout.InfiniteTimeSpan"/> when none.</summary>
    public TimeSpan HardTimeout { get; }

    /// <summary>0 when none.</summary>
    public double EagerRefresh { get; }

    public TimeSpan Jitter { get; }

    public bool DistributedLock { get; }

    public bool IsFor(CacheEntryOptions options) =>
        options.LocalTtl == _localTtl && options.RedisTtl == _redisTtl && options.SkipLocal == _skipLocal && options.SkipRedis == _skipRedis
        && options.FailSafe == _failSafe && options.FailSafeMaxDuration == _failSafeMaxDuration
        && string.Equals(options.Profile, _profile, StringComparison.OrdinalIgnoreCase)
        && options.FactorySoftTimeout == _softTimeout && options.FactoryHardTimeout == _hardTimeout && options.EagerRefreshThreshold == _eagerRefresh
        && options.JitterMaxDuration == _jitter && options.DistributedLock == _distributedLock;
}

/// <summary>The resilience part of an entry's settings, resolved (method entry, options, profile, defaults).</summary>
internal readonly record struct ResilienceSettings(TimeSpan SoftTimeout, TimeSpan HardTimeout, double EagerRefresh, TimeSpan Jitter, bool DistributedLock);
