using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Caching.Internal;
using Caching.Invalidation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Caching;

/// <summary>
/// The two-tier cache: L1 in process, L2 Redis, then the source. This file is the policy and the hot path; the
/// tiers' I/O and failure handling live in <c>Internal/LocalCache</c> and <c>Internal/RedisLayer</c>, loads in
/// <c>MultiLayerCache.Load.cs</c>; the invalidation protocol and the backplane are owned by
/// <c>Invalidation/InvalidationCoordinator</c>, which every read and write asks whether an entry may be used or stored.
/// </summary>
public sealed partial class MultiLayerCache : IMultiLayerCache, IAsyncDisposable, IDisposable
{
    // Per cache, not static: entry options remember their resolution under one cache's settings (SettingsFor), and
    // callers passing no options to two caches in one process would otherwise make each resolve again every call.
    private readonly CacheEntryOptions _defaultEntryOptions = new();

    private readonly MultiLayerCacheOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private bool _clockWaitGaveUp;
    private readonly LogEpisodes _logEpisodes;
    private readonly SerializerSelection _serializer;
    private readonly LocalCache? _local;
    private readonly RedisLayer? _redis;
    private readonly CacheMetrics _metrics;
    private readonly InvalidationCoordinator _invalidation;
    private readonly Knowledge _knowledge;
    private readonly ConcurrentDictionary<string, object> _flights = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(Type Type, string? Schema), TypeEntry> _types = new();
    private readonly CancellationTokenSource _lifetime = new();
    private readonly string _instanceId = Guid.NewGuid().ToString("N");
    private readonly IDisposable? _settingsSubscription;
    private volatile CacheSettings _settings;

    private readonly StripedCounter _localHits = new();
    private long _redisHits;
    private long _sourceHits;
    private long _misses;
    private long _errors;
    private long _badPayloads;
    private long _invalidations;

    /// <summary>Creates a cache. Prefer <c>services.AddMultiLayerCache(configuration)</c>, which shares one instance per application.</summary>
    /// <param name="options">The settings; validated here.</param>
    /// <param name="logger">Where failures, breaker changes and fail-safe use are logged.</param>
    /// <param name="meterFactory">Creates the "Caching" meter; without one a private meter is used.</param>
    /// <param name="timeProvider">The clock for Redis entries' logical expiry and the breaker (default: the system clock).</param>
    public MultiLayerCache(MultiLayerCacheOptions options, ILogger<MultiLayerCache>? logger = null, IMeterFactory? meterFactory = null, TimeProvider? timeProvider = null)
        : this(options, [], logger, meterFactory, timeProvider)
    {
    }

    /// <summary>
    /// The container's constructor: <paramref name="indexedPatterns"/> are the shapes registered with
    /// <c>AddIndexedCachePatterns</c>, <paramref name="sharedConnection"/> the application's multiplexer when the cache
    /// shares it, <paramref name="monitor"/> reports reloads of the settings that follow them (<see cref="CacheSettings"/>),
    /// and <paramref name="containerSerializers"/> the container's HybridCache serializers, when <c>AsHybridCache()</c>
    /// registered them.
    /// </summary>
    internal MultiLayerCache(MultiLayerCacheOptions options, IEnumerable<string> indexedPatterns, ILogger<MultiLayerCache>? logger, IMeterFactory? meterFactory, TimeProvider? timeProvider, IConnectionMultiplexer? sharedConnection = null, IOptionsMonitor<MultiLayerCacheOptions>? monitor = null, ContainerSerializers? containerSerializers = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _settings = CacheSettings.From(options);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _logEpisodes = new LogEpisodes(_time);
        _serializer = new SerializerSelection(options.Serializer ?? new SystemTextJsonCacheSerializer(options.JsonOptions), options.Serializers, containerSerializers);
        if (options.LocalEnabled)
        {
            _local = new LocalCache(options.LocalSizeBytes, options.LocalEviction);
        }

        _metrics = new CacheMetrics(meterFactory, Stats, () => _local?.SizeBytes ?? 0, () => _local?.SizeLimitBytes ?? 0);
        if (options.RedisEnabled)
        {
            _redis = new RedisLayer(options, _logger, _metrics, () => Interlocked.Increment(ref _errors), _time, sharedConnection);
        }

        _invalidation = new InvalidationCoordinator(options, PatternIndex.Create(options.IndexedPatterns.Concat(indexedPatterns)), _local, _redis, _logger, _metrics, _time, _instanceId, _logEpisodes);
        _knowledge = _invalidation.Knowledge;
        _metrics.ObservePending(() => _invalidation.PendingCount, () => _invalidation.PendingCollapses);
        Log.Started(_logger, options.LocalEnabled ? "on" : "off", options.LocalSizeMb, options.RedisEnabled ? "on" : "off", _redis?.Endpoint ?? "-", options.KeyPrefix);
        _settingsSubscription = monitor?.OnChange((changed, name) =>
        {
            if (name is null || name == Microsoft.Extensions.Options.Options.DefaultName)
            {
                ApplySettings(changed);
            }
        });
    }

    /// <summary>
    /// The settings this cache was created with. Registered through <c>AddMultiLayerCache(configuration)</c>, the
    /// reloadable part (profiles, <c>Cache:Methods</c>, default TTLs, fail-safe) follows configuration reloads
    /// without changing this instance; read the current values from <c>IOptionsMonitor&lt;MultiLayerCacheOptions&gt;</c>.
    /// </summary>
    public MultiLayerCacheOptions Options => _options;

    /// <summary>True when Redis is enabled, connected, and not skipped by the circuit breaker.</summary>
    public bool IsRedisAvailable => _redis is { IsConnected: true, IsAvailable: true };

    /// <inheritdoc />
    public ValueTask<T> GetOrSetAsync<T>(string key, Func<CancellationToken, ValueTask<T>> factory, CacheEntryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return GetOrSetAsync(key, factory, static (f, ct) => f(ct), options, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<T> GetOrSetAsync<TState, T>(string key, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, CacheEntryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(factory);
        options ??= _defaultEntryOptions;
        var settings = HitSettings(options);
        if (settings is { Enabled: false })
        {
            return Bypass(state, factory, cancellationToken);
        }

        if (TryGetLocal(key, SkipsLocalRead(options, settings), out T value, out var refreshDue))
        {
            if (refreshDue)
            {
                StartEagerRefresh(key, state, factory, null, options);
            }

            return new ValueTask<T>(value);
        }

        return GetOrSetSlowAsync(key, state, factory, options, cancellationToken);
    }

    /// <inheritdoc />
    public T GetOrSet<TState, T>(string key, TState state, Func<TState, T> factory, CacheEntryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(factory);
        options ??= _defaultEntryOptions;
        var settings = HitSettings(options);
        if (settings is { Enabled: false })
        {
            NoteBypass(state);
            return factory(state);
        }

        if (TryGetLocal(key, SkipsLocalRead(options, settings), out T value, out var refreshDue))
        {
            if (refreshDue)
            {
                StartEagerRefresh(key, state, null, factory, options);
            }

            return value;
        }

        return GetOrSetSlow(key, state, factory, options);
    }

    /// <inheritdoc />
    public ValueTask<CacheResult<T>> GetAsync<T>(string key, CacheEntryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        options ??= _defaultEntryOptions;
        var settings = HitSettings(options);
        if (settings is { Enabled: false })
        {
            return new ValueTask<CacheResult<T>>(new CacheResult<T>(false, default, CacheTier.None));
        }

        if (TryGetLocal(key, SkipsLocalRead(options, settings), out T value, out _))
        {
            return new ValueTask<CacheResult<T>>(new CacheResult<T>(true, value, CacheTier.Local));
        }

        return GetSlowAsync<T>(key, options, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask SetAsync<T>(string key, T value, CacheEntryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        options ??= _defaultEntryOptions;
        if (!SettingsFor(options).Enabled)
        {
            // Caching is off, but Set still means replace: the old value must not come back when it is turned on again.
            await _invalidation.RemoveKeyAsync(key, cancellationToken).ConfigureAwait(false);
            return;
        }

        var effective = Resolve<T>(options) with { CacheNull = true };
        await WhenClockFollowsRedisAsync(cancellationToken).ConfigureAwait(false);

        // A value the caller writes is newer than any load of the key in flight: its stamp makes them lose to it in
        // L1 and in Redis. It is not an invalidation of itself: the other nodes only drop their older copies.
        var ticket = _invalidation.BeginWrite();
        var stored = await StoreAsync(key, value, effective, ticket, synchronous: false).ConfigureAwait(false);
        if (!stored.Cached)
        {
            // Set means replace: a value that cannot be cached must not leave the old one behind, on any tier or node.
            await _invalidation.RemoveKeyAsync(key, cancellationToken).ConfigureAwait(false);
            return;
        }

        await _invalidation.ReplaceKeyAsync(key, ticket.Stamp, redisHoldsIt: stored.Redis is RedisStatus.Done or RedisStatus.Refused, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public CacheStatistics Stats()
    {
        var localHits = _localHits.Read();
        var redisHits = Interlocked.Read(ref _redisHits);
        var sourceHits = Interlocked.Read(ref _sourceHits);
        var misses = Interlocked.Read(ref _misses);
        return new CacheStatistics
        {
            LocalHits = localHits,
            RedisHits = redisHits,
            SourceHits = sourceHits,
            Misses = misses,

            // Every request ends in exactly one of these outcomes, so the total is their sum rather than a
            // fifth counter the L1 hit path would have to increment.
            TotalRequests = localHits + redisHits + sourceHits + misses,
            Errors = Interlocked.Read(ref _errors),
            BadPayloads = Interlocked.Read(ref _badPayloads),
            Invalidations = Interlocked.Read(ref _invalidations),
            LocalSizeBytes = _local?.SizeBytes ?? 0,
        };
    }

    /// <summary>
    /// Checks both tiers with a set/get round trip: L1 always, Redis when enabled. Returns whether Redis answered
    /// (always true when Redis is disabled).
    /// </summary>
    /// <param name="cancellationToken">Cancels the probe.</param>
    public async ValueTask<bool> ProbeRedisAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_redis is null)
        {
            return true;
        }

        if (!await _redis.ProbeAsync(_instanceId).ConfigureAwait(false))
        {
            return false;
        }

        // Connected and subscribed; a node serves with comparable stamps only once its clock follows Redis's.
        return await _invalidation.WaitCalibratedAsync(_options.RedisTimeout * 4, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A call stamped before the clock first follows Redis's belongs to an era that calibration ends, and what it
    /// stores is then dropped (invalidation readme): a process's first writes and loads would silently miss Redis.
    /// So, while Redis is connected (or connecting) and the first calibration (one TIME round trip after subscribing) is still out,
    /// they wait for it, at most <see cref="MultiLayerCacheOptions.RedisTimeout"/>, as a host's start does. A wait that
    /// runs out is not repeated: calls then go on as before. Free once the clock is calibrated (one read).
    /// </summary>
    private ValueTask WhenClockFollowsRedisAsync(CancellationToken cancellationToken) =>
        _redis is null || _invalidation.Clock.IsCalibrated || Volatile.Read(ref _clockWaitGaveUp) || !_redis.IsConnectingOrConnected
            ? default
            : WaitForClockAsync(cancellationToken);

    private async ValueTask WaitForClockAsync(CancellationToken cancellationToken)
    {
        if (!await _invalidation.WaitCalibratedAsync(_options.RedisTimeout, cancellationToken).ConfigureAwait(false))
        {
            Volatile.Write(ref _clockWaitGaveUp, true);
        }
    }

    internal InvalidationCoordinator Invalidation => _invalidation;

    internal RedisLayer? Redis => _redis;

    /// <summary>A write and read of a probe entry straight on L1 (not through invalidation, which may clear L1 at any time).</summary>
    internal bool ProbeLocal()
    {
        if (_local is null)
        {
            return true;
        }

        var key = "__health:" + _instanceId;
        _local.Set(key, new LocalEntry("ok", null, false, null, long.MaxValue, long.MaxValue), 2, TimeSpan.FromSeconds(5));
        var found = _local.TryGet(key, out var entry) && entry!.Value is "ok";
        _local.Remove(key);
        return found;
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_lifetime.IsCancellationRequested)
        {
            return;
        }

        await _lifetime.CancelAsync().ConfigureAwait(false);
        _settingsSubscription?.Dispose();
        await _invalidation.DisposeAsync().ConfigureAwait(false);
        if (_redis is not null)
        {
            await _redis.DisposeAsync().ConfigureAwait(false);
        }

        _local?.Dispose();
        _metrics.Dispose();
        _lifetime.Dispose();
    }

    // refreshDue: the hit is past the entry's eager-refresh point (only GetOrSet acts on it). A flag, not the entry:
    // an object out-parameter here cost the hit path a third of its time (L1HitImmutableBenchmarks).
    private bool TryGetLocal<T>(string key, bool skipLocal, out T value, out bool refreshDue)
    {
        var now = Environment.TickCount64;
        if (_local is not null && !skipLocal && _local.TryGet(key, out var entry) && entry!.IsFresh(now)
            && (entry.ValidatedEpoch == _knowledge.Epoch || _invalidation.IsUsable(key, entry)) && TryMaterialize(entry, out value))
        {
            // The only bookkeeping on the hot path: the request, hit and miss instruments are observed from these
            // counters when a metrics exporter collects, instead of being recorded on every call.
            _localHits.Increment();
            refreshDue = now >= entry.RefreshTick;
            return true;
        }

        value = default!;
        refreshDue = false;
        return false;
    }

    /// <summary>An L1 hit without starting a load: the HybridCache facade asks first and builds its tagged options only on a miss.</summary>
    internal bool TryGetLocalHit<T>(string key, CacheEntryOptions options, out T value) => TryGetLocal(key, SkipsLocalRead(options, HitSettings(options)), out value, out _);

    // The HybridCache facade's flags can skip reading L1 alone; configuration can turn L1 off for a method or profile.
    private static bool SkipsLocalRead(CacheEntryOptions options, EntrySettings? settings) =>
        (settings?.SkipLocal ?? options.SkipLocal) || (options.Access & TierAccess.NoLocalRead) != 0;

    private void Count(CacheTier tier, long startTimestamp, string operation)
    {
        switch (tier)
        {
            case CacheTier.Local:
                _localHits.Increment();
                break;
            case CacheTier.Redis:
                Interlocked.Increment(ref _redisHits);
                break;
            case CacheTier.Source:
                Interlocked.Increment(ref _sourceHits);
                break;
            default:
                Interlocked.Increment(ref _misses);
                break;
        }

        if (_metrics.DurationEnabled)
        {
            _metrics.Duration(operation, startTimestamp);
        }
    }

    private static long Timestamp() => Stopwatch.GetTimestamp();

    /// <summary>
    /// What <paramref name="options"/> come to under the current settings: on the hot path one reference comparison,
    /// since the options remember their last resolution; a reload makes every options instance resolve once again.
    /// </summary>
    private EntrySettings SettingsFor(CacheEntryOptions options)
    {
        var settings = _settings;
        var known = options.Settings;
        if (known is not null && ReferenceEquals(known.Source, settings))
        {
            return known;
        }

        // Racing callers may both resolve; either result is right, and the write of a reference is atomic.
        known = settings.For(options);
        options.Settings = known;
        return known;
    }

    /// <summary>
    /// What an L1 hit needs to know, or null when the options name no method and no profile: configuration can then
    /// neither turn them off nor skip L1 for them, so options built per call (an adapter's, a caller's) cost an L1 hit
    /// nothing more than before. The miss path resolves them in full.
    /// </summary>
    private EntrySettings? HitSettings(CacheEntryOptions options) =>
        options.Method is null && options.Profile is null ? null : SettingsFor(options);

    /// <summary>A kill switch is on: the source answers, with the caller's token, and nothing is read or written.</summary>
    private static ValueTask<T> Bypass<TState, T>(TState state, Func<TState, CancellationToken, ValueTask<T>> factory, CancellationToken cancellationToken)
    {
        NoteBypass(state);
        return factory(state, cancellationToken);
    }

    private static void NoteBypass<TState>(TState state)
    {
        if (state is ITierObserver observer)
        {
            observer.Served(CacheTier.Source);
        }
    }
}
