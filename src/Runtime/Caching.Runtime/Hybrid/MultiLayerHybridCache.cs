using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Caching.Internal;

/// <summary>
/// <see cref="HybridCache"/> on the two-tier runtime: the calls go to one <see cref="MultiLayerCache"/>, so code
/// written against HybridCache shares its L1, Redis, backplane, tags and fail-safe with the generated decorators.
/// How each HybridCache concept maps onto the runtime: <c>Hybrid/readme.md</c>.
/// </summary>
internal sealed class MultiLayerHybridCache : HybridCache
{
    /// <summary>How many removals of a batch are in flight at once (each is one Redis script and one message).</summary>
    private const int RemovalConcurrency = 64;

    private readonly MultiLayerCache _cache;
    private readonly HybridEntryOptionsMap _map;
    private readonly int _maximumKeyLength;
    private readonly ILogger _logger;
    private int _keyRefusalLogged;

    public MultiLayerHybridCache(MultiLayerCache cache, MultiLayerHybridCacheOptions options, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _cache = cache;
        _map = new HybridEntryOptionsMap(options);
        _maximumKeyLength = options.MaximumKeyLength;
        _logger = logger ?? NullLogger.Instance;
    }

    public override ValueTask<T> GetOrCreateAsync<TState, T>(string key, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, HybridCacheEntryOptions? options = null, IEnumerable<string>? tags = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(factory);
        cancellationToken.ThrowIfCancellationRequested();
        var flags = _map.Flags(options);
        var fromSourceAllowed = (flags & HybridCacheEntryFlags.DisableUnderlyingData) == 0;
        if (!IsCacheable(key))
        {
            // As HybridCache: the data, without the cache (or nothing, when the source may not be asked either).
            return fromSourceAllowed ? factory(state, cancellationToken) : default;
        }

        var untagged = _map.Map(options);
        if (!fromSourceAllowed)
        {
            return GetWithoutSourceAsync<T>(key, untagged, cancellationToken);
        }

        if (tags is null || tags is ICollection<string> { Count: 0 })
        {
            return _cache.GetOrSetAsync(key, state, factory, untagged, cancellationToken);
        }

        // Tags matter only to a store: an L1 hit needs none, so the tagged options are built on a miss only.
        if (_cache.TryGetLocalHit(key, untagged, out T hit))
        {
            return new ValueTask<T>(hit);
        }

        return _cache.GetOrSetAsync(key, state, factory, HybridEntryOptionsMap.WithTags(untagged, tags), cancellationToken);
    }

    public override ValueTask SetAsync<T>(string key, T value, HybridCacheEntryOptions? options = null, IEnumerable<string>? tags = null, CancellationToken cancellationToken = default)
    {
        if (!IsCacheable(key))
        {
            return default;
        }

        var untagged = _map.Map(options);
        return _cache.SetAsync(key, value, tags is null ? untagged : HybridEntryOptionsMap.WithTags(untagged, tags), cancellationToken);
    }

    public override ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default) => _cache.RemoveAsync(key, cancellationToken);

    public override ValueTask RemoveAsync(IEnumerable<string> keys, CancellationToken cancellationToken = default) =>
        keys is null ? default : ForEachAsync(keys, static (cache, key, ct) => cache.RemoveAsync(key, ct), cancellationToken);

    public override ValueTask RemoveByTagAsync(string tag, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(tag))
        {
            // As HybridCache: nothing sensible to remove.
            return default;
        }

        // HybridCache's "*" is everything: here, one mark for the whole key prefix (IMultiLayerCache entries too).
        var removal = tag == "*" ? _cache.InvalidatePatternAsync("*", cancellationToken) : _cache.RemoveByTagAsync(tag, cancellationToken);
        return removal.IsCompletedSuccessfully ? Consumed(removal) : AwaitedAsync(removal);

        static ValueTask Consumed(ValueTask<long> done)
        {
            _ = done.Result;
            return default;
        }

        static async ValueTask AwaitedAsync(ValueTask<long> pending) => await pending.ConfigureAwait(false);
    }

    public override ValueTask RemoveByTagAsync(IEnumerable<string> tags, CancellationToken cancellationToken = default) =>
        tags is null ? default : ForEachAsync(tags, static (cache, tag, ct) => cache.RemoveByTagAsync(tag, ct), cancellationToken);

    private async ValueTask<T> GetWithoutSourceAsync<T>(string key, CacheEntryOptions options, CancellationToken cancellationToken)
    {
        // DisableUnderlyingData: L1 then Redis, as the flags allow; a miss is default(T), and nothing is stored.
        var found = await _cache.GetAsync<T>(key, options, cancellationToken).ConfigureAwait(false);
        return found.Found ? found.Value! : default!;
    }

    private async ValueTask ForEachAsync(IEnumerable<string> items, Func<HybridCache, string, CancellationToken, ValueTask> each, CancellationToken cancellationToken)
    {
        // Removals are independent; in parallel they share Redis round trips instead of paying one each.
        var running = new List<Task>(RemovalConcurrency);
        foreach (var item in items)
        {
            running.Add(each(this, item, cancellationToken).AsTask());
            if (running.Count == RemovalConcurrency)
            {
                await Task.WhenAll(running).ConfigureAwait(false);
                running.Clear();
            }
        }

        await Task.WhenAll(running).ConfigureAwait(false);
    }

    private bool IsCacheable(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var refusal = HybridKeyRules.Refusal(key, _maximumKeyLength);
        if (refusal is null)
        {
            return true;
        }

        if (Interlocked.Exchange(ref _keyRefusalLogged, 1) == 0)
        {
            HybridLog.KeyNotCacheable(_logger, refusal);
        }
        else
        {
            HybridLog.KeyNotCacheableAgain(_logger, refusal);
        }

        return false;
    }
}
