namespace Caching;

/// <summary>
/// A two-tier cache: in-process memory (L1) in front of Redis (L2) in front of the source. A failing Redis never
/// fails a call; invalidations reach every node's L1 through a Redis pub/sub backplane.
/// </summary>
public interface IMultiLayerCache
{
    /// <summary>
    /// Returns the cached value for <paramref name="key"/>, or runs <paramref name="factory"/> once per key and node
    /// (concurrent callers share the run) and caches its result. An L1 hit completes synchronously.
    /// </summary>
    /// <remarks>
    /// Like every <see cref="ValueTask{TResult}"/>, the result may be awaited (or converted with
    /// <see cref="ValueTask{TResult}.AsTask"/>) once only: a call that goes to Redis or the source completes through a
    /// pooled object that the first await gives back, and a second await then throws <see cref="InvalidOperationException"/>.
    /// </remarks>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="key">The cache key (see <see cref="CacheKeyBuilder"/>).</param>
    /// <param name="factory">Loads the value from the source. Its token is the shared load's, not the caller's.</param>
    /// <param name="options">Per-entry options, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels this caller's wait only; the shared load goes on for the others.</param>
    ValueTask<T> GetOrSetAsync<T>(string key, Func<CancellationToken, ValueTask<T>> factory, CacheEntryOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>As <see cref="GetOrSetAsync{T}(string, Func{CancellationToken, ValueTask{T}}, CacheEntryOptions?, CancellationToken)"/>, passing <paramref name="state"/> to a static factory so no closure is allocated.</summary>
    /// <typeparam name="TState">The state type.</typeparam>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="key">The cache key.</param>
    /// <param name="state">Passed to <paramref name="factory"/>.</param>
    /// <param name="factory">Loads the value from the source.</param>
    /// <param name="options">Per-entry options.</param>
    /// <param name="cancellationToken">Cancels this caller's wait only.</param>
    ValueTask<T> GetOrSetAsync<TState, T>(string key, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, CacheEntryOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The synchronous form, for methods that return a plain value: Redis is called synchronously and the factory runs
    /// on the caller's thread, so there is no sync-over-async.
    /// </summary>
    /// <typeparam name="TState">The state type.</typeparam>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="key">The cache key.</param>
    /// <param name="state">Passed to <paramref name="factory"/>.</param>
    /// <param name="factory">Loads the value from the source.</param>
    /// <param name="options">Per-entry options.</param>
    T GetOrSet<TState, T>(string key, TState state, Func<TState, T> factory, CacheEntryOptions? options = null);

    /// <summary>Looks a key up in L1, then Redis. Never throws on a miss. The result may be awaited once only (see GetOrSetAsync).</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="key">The cache key.</param>
    /// <param name="options">Per-entry options (tiers to skip, sharing).</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    ValueTask<CacheResult<T>> GetAsync<T>(string key, CacheEntryOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a value in both tiers and evicts older copies from every other node's L1. It replaces: a load of the key
    /// that began before cannot overwrite it, and when the value cannot be cached (too large, not serializable, a tier
    /// skipped) the old value is removed from every tier and node instead.
    /// </summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="key">The cache key.</param>
    /// <param name="value">The value.</param>
    /// <param name="options">Per-entry options.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    ValueTask SetAsync<T>(string key, T value, CacheEntryOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Removes a key from both tiers on every node (Redis keeps a short-lived tombstone, so a load that began before cannot write it back).</summary>
    /// <param name="key">The cache key.</param>
    /// <param name="cancellationToken">Ends this caller's wait; the removal itself still completes or is queued.</param>
    ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Invalidates every key matching a glob pattern (<c>*</c> any text, <c>?</c> one character) on both tiers of every
    /// node. A segment prefix (<c>"user:42:*"</c>: literal text ending in ':' then one trailing '*') costs one mark in
    /// Redis, whatever the number of keys: every entry records its key's segment prefixes, and a read finds the entry
    /// void. <c>"*"</c> is one mark for the whole key prefix. Any other pattern walks Redis with <c>SCAN</c> on every
    /// primary and removes keys with <c>UNLINK</c> in batches (never <c>KEYS</c>): its cost grows with the key space.
    /// </summary>
    /// <param name="pattern">The pattern, such as <c>"user:42:*"</c>.</param>
    /// <param name="cancellationToken">Ends this caller's wait; the invalidation itself still completes or is queued.</param>
    /// <returns>The number of Redis keys removed by a SCAN (a mark removes nothing physically: 0; also 0 while the invalidation waits for Redis).</returns>
    ValueTask<long> InvalidatePatternAsync(string pattern, CancellationToken cancellationToken = default);

    /// <summary>Invalidates every entry stored with <paramref name="tag"/> on both tiers of every node: one mark in Redis, whatever the number of entries.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="cancellationToken">Ends this caller's wait; the invalidation itself still completes or is queued.</param>
    /// <returns>0: entries are voided in place, not counted.</returns>
    ValueTask<long> RemoveByTagAsync(string tag, CancellationToken cancellationToken = default);

    /// <summary>A snapshot of this instance's counters.</summary>
    CacheStatistics Stats();
}
