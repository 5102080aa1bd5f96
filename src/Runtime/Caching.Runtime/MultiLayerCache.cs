using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Caching.Internal;
using Caching.Invalidation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Caching;

/// <summary>
/// The two-tier cache: L1 in process, L2 Redis, then the source. This file is the policy and the hot path; the
/// tiers' I/O and failure handling live in <c>Internal/LocalCache</c> and <c>Internal/RedisLayer</c>, loads in
/// <c>MultiLayerCache.Load.cs</c>; the invalidation protocol and the backplane are owned by
/// <c>Invalidation/InvalidationCoordinator</c>, which every read and write asks whether an entry may be used or stored.
/// </summary>
public sealed partial class MultiLayerCache : IMultiLayerCache, IAsyncDisposable, IDisposable
{
    private static readonly CacheEntryOptions DefaultEntryOptions = new();

    private readonly MultiLayerCacheOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
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

    private long _localHits;
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
    /// <c>AddIndexedCachePatterns</c>; <paramref name="containerSerializers"/> the container's HybridCache serializers,
    /// when <c>AsHybridCache()</c> registered them.
    /// </summary>
    internal MultiLayerCache(MultiLayerCacheOptions options, IEnumerable<string> indexedPatterns, ILogger<MultiLayerCache>? logger, IMeterFactory? meterFactory, TimeProvider? timeProvider, ContainerSerializers? containerSerializers = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
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
            _redis = new RedisLayer(options, _logger, _metrics, () => Interlocked.Increment(ref _errors), _time);
        }

        _invalidation = new InvalidationCoordinator(options, PatternIndex.Create(options.IndexedPatterns.Concat(indexedPatterns)), _local, _redis, _logger, _metrics, _time, _instanceId);
        _knowledge = _invalidation.Knowledge;
        _metrics.ObservePending(() => _invalidation.PendingCount, () => _invalidation.PendingCollapses);
        Log.Started(_logger, options.LocalEnabled ? "on" : "off", options.LocalSizeMb, options.RedisEnabled ? "on" : "off", options.RedisEnabled ? options.RedisConnection.Split(',')[0] : "-", options.KeyPrefix);
    }

    /// <summary>The settings this cache runs with.</summary>
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
        options ??= DefaultEntryOptions;
        if (TryGetLocal(key, options, out T value, out var refreshDue))
        {
            if (refreshDue is not null && refreshDue.TryClaimRefresh())
            {
                StartEagerRefresh(key, state, factory, null, options, refreshDue);
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
        options ??= DefaultEntryOptions;
        if (TryGetLocal(key, options, out T value, out var refreshDue))
        {
            if (refreshDue is not null && refreshDue.TryClaimRefresh())
            {
                StartEagerRefresh(key, state, null, factory, options, refreshDue);
            }

            return value;
        }

        return GetOrSetSlow(key, state, factory, options);
    }

    /// <inheritdoc />
    public ValueTask<CacheResult<T>> GetAsync<T>(string key, CacheEntryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        options ??= DefaultEntryOptions;
        if (TryGetLocal(key, options, out T value, out _))
        {
            return new ValueTask<CacheResult<T>>(new CacheResult<T>(true, value, CacheTier.Local));
        }

        return GetSlowAsync<T>(key, options, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask SetAsync<T>(string key, T value, CacheEntryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var effective = Resolve<T>(options ?? DefaultEntryOptions) with { CacheNull = true };

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
        var localHits = Interlocked.Read(ref _localHits);
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
        try
        {
            await _invalidation.Calibrated.WaitAsync(_options.RedisTimeout * 4, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

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
        await _invalidation.DisposeAsync().ConfigureAwait(false);
        if (_redis is not null)
        {
            await _redis.DisposeAsync().ConfigureAwait(false);
        }

        _local?.Dispose();
        _metrics.Dispose();
        _lifetime.Dispose();
    }

    // refreshDue: the entry, when the hit is past its eager-refresh point (only GetOrSet acts on it).
    private bool TryGetLocal<T>(string key, CacheEntryOptions options, out T value, out LocalEntry? refreshDue)
    {
        var now = Environment.TickCount64;
        if (_local is not null && !options.SkipsLocalRead && _local.TryGet(key, out var entry) && entry!.IsFresh(now)
            && (entry.ValidatedEpoch == _knowledge.Epoch || _invalidation.IsUsable(key, entry)) && TryMaterialize(entry, out value))
        {
            // The only bookkeeping on the hot path: the request, hit and miss instruments are observed from these
            // counters when a metrics exporter collects, instead of being recorded on every call.
            Interlocked.Increment(ref _localHits);
            refreshDue = now >= entry.RefreshTick ? entry : null;
            return true;
        }

        value = default!;
        refreshDue = null;
        return false;
    }

    /// <summary>An L1 hit without starting a load: the HybridCache facade asks first and builds its tagged options only on a miss.</summary>
    internal bool TryGetLocalHit<T>(string key, CacheEntryOptions options, out T value) => TryGetLocal(key, options, out value, out _);

    private void Count(CacheTier tier, long startTimestamp, string operation)
    {
        switch (tier)
        {
            case CacheTier.Local:
                Interlocked.Increment(ref _localHits);
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
}
