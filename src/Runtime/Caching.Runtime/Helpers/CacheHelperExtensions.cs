namespace Caching;

/// <summary>Write-through and list helpers over <see cref="IMultiLayerCache"/>.</summary>
public static class CacheHelperExtensions
{
    private const int ItemBatchSize = 64;

    /// <summary>
    /// Runs <paramref name="write"/>, then invalidates every pattern. If the write throws, nothing is invalidated and
    /// the exception propagates: the cache still matches the unchanged source.
    /// </summary>
    /// <typeparam name="TResult">The write's result.</typeparam>
    /// <param name="cache">The cache.</param>
    /// <param name="patterns">Patterns (<c>*</c>, <c>?</c>) or exact keys to invalidate after the write.</param>
    /// <param name="write">The write to the source.</param>
    /// <param name="cancellationToken">Passed to the write and the invalidations.</param>
    public static async Task<TResult> InvalidateOnWriteAsync<TResult>(this IMultiLayerCache cache, IEnumerable<string> patterns, Func<CancellationToken, Task<TResult>> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(write);
        var checkedPatterns = CheckPatterns(patterns);
        var result = await write(cancellationToken).ConfigureAwait(false);
        foreach (var pattern in checkedPatterns)
        {
            await cache.InvalidatePatternAsync(pattern, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    /// <inheritdoc cref="InvalidateOnWriteAsync{TResult}(IMultiLayerCache, IEnumerable{string}, Func{CancellationToken, Task{TResult}}, CancellationToken)"/>
    public static async Task InvalidateOnWriteAsync(this IMultiLayerCache cache, IEnumerable<string> patterns, Func<CancellationToken, Task> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        await cache.InvalidateOnWriteAsync(patterns, async ct =>
        {
            await write(ct).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Caches a query result under a key from <see cref="CacheKeyGen.Query(string, IEnumerable{KeyValuePair{string, object}})"/>-style parameters.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="cache">The cache.</param>
    /// <param name="keys">The key generator.</param>
    /// <param name="queryName">The query name.</param>
    /// <param name="parameters">The query's parameters; their order does not matter.</param>
    /// <param name="query">Runs the query on the source.</param>
    /// <param name="options">Entry options.</param>
    /// <param name="cancellationToken">Cancels this caller's wait.</param>
    public static ValueTask<T> CacheableQueryAsync<T>(this IMultiLayerCache cache, CacheKeyGen keys, string queryName, IEnumerable<KeyValuePair<string, object?>> parameters, Func<CancellationToken, ValueTask<T>> query, CacheEntryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(keys);
        return cache.GetOrSetAsync(keys.Query(queryName, parameters), query, options, cancellationToken);
    }

    /// <summary>
    /// Caches a list under <paramref name="listKey"/> and, when it is loaded from the source, each item under its own
    /// key, so a later single-item read is a hit.
    /// </summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="cache">The cache.</param>
    /// <param name="listKey">The list's key.</param>
    /// <param name="load">Loads the list from the source.</param>
    /// <param name="itemKey">The key of one item.</param>
    /// <param name="options">Entry options for the list and the items.</param>
    /// <param name="cancellationToken">Cancels this caller's wait.</param>
    public static async ValueTask<IReadOnlyList<T>> CacheableListAsync<T>(this IMultiLayerCache cache, string listKey, Func<CancellationToken, ValueTask<IReadOnlyList<T>>> load, Func<T, string> itemKey, CacheEntryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(load);
        ArgumentNullException.ThrowIfNull(itemKey);
        var state = (Cache: cache, Load: load, ItemKey: itemKey, Options: options);
        return await cache.GetOrSetAsync(listKey, state, static async (s, ct) =>
        {
            var items = await s.Load(ct).ConfigureAwait(false);

            // Stored a batch at a time: one by one, each waiting for its round trips, a list of 50,000 items took
            // longer than the list's own load may take and still be stored.
            var batch = new List<Task>(ItemBatchSize);
            foreach (var item in items)
            {
                batch.Add(s.Cache.SetAsync(s.ItemKey(item), item, s.Options, ct).AsTask());
                if (batch.Count == ItemBatchSize)
                {
                    await Task.WhenAll(batch).ConfigureAwait(false);
                    batch.Clear();
                }
            }

            await Task.WhenAll(batch).ConfigureAwait(false);
            return items;
        }, options, cancellationToken).ConfigureAwait(false);
    }

    private static List<string> CheckPatterns(IEnumerable<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        var list = new List<string>();
        foreach (var pattern in patterns)
        {
            // Rejected before the write runs: a bad pattern must not leave a write done and its invalidation undone.
            if (!CacheKey.IsValidPattern(pattern, out var reason))
            {
                throw new ArgumentException($"Invalid cache pattern '{pattern}': {reason}", nameof(patterns));
            }

            list.Add(pattern);
        }

        return list;
    }
}
