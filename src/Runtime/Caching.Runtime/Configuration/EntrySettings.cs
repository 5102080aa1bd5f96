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

    public EntrySettings(CacheSettings source, CacheEntryOptions options, bool enabled, TimeSpan localTtl, TimeSpan redisTtl, bool skipLocal, bool skipRedis, bool failSafe, TimeSpan failSafeMaxDuration)
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

    public bool IsFor(CacheEntryOptions options) =>
        options.LocalTtl == _localTtl && options.RedisTtl == _redisTtl && options.SkipLocal == _skipLocal && options.SkipRedis == _skipRedis
        && options.FailSafe == _failSafe && options.FailSafeMaxDuration == _failSafeMaxDuration
        && string.Equals(options.Profile, _profile, StringComparison.OrdinalIgnoreCase);
}
