using Microsoft.AspNetCore.OutputCaching;

namespace Caching.AspNetCore;

/// <summary>
/// ASP.NET Core output caching (<c>AddOutputCache()</c>, <c>.CacheOutput()</c>, <c>[OutputCache]</c>) stored in the
/// two-tier cache: entries live in this process's memory and in Redis, every node sees what another stored, and
/// <see cref="EvictByTagAsync"/> reaches every node through the backplane. Register it with
/// <c>services.AddMultiLayerOutputCacheStore()</c>.
/// </summary>
/// <remarks>
/// Tags are the cache's own tags: <c>RemoveByTagAsync("products")</c> (or the invalidation endpoint) evicts the
/// output-cache entries tagged <c>products</c> too, and costs one mark in Redis whatever their number. Keys are
/// <c>outputcache:{the output cache's key, escaped}</c>, so <c>InvalidatePatternAsync("outputcache:*")</c> drops them
/// all. A response whose stored form is over the cache's <c>MaxValueBytes</c> is served uncached. A failing Redis
/// never fails a request: entries are then served from memory or produced again.
/// </remarks>
public sealed class MultiLayerOutputCacheStore : IOutputCacheStore
{
    /// <summary>First segment of every key this store writes.</summary>
    public const string KeyPrefix = "outputcache";

    // Bump when what is stored changes: entries of the old shape then read as clean misses.
    private const string SchemaTag = "outputcache-1";

    // The output cache never writes into the bytes it reads, so an L1 hit may hand out the stored array itself.
    private static readonly CacheEntryOptions ReadOptions = new() { Sharing = ValueSharing.Share, SchemaTag = SchemaTag };

    private readonly IMultiLayerCache _cache;

    /// <summary>Creates the store over <paramref name="cache"/>.</summary>
    /// <param name="cache">The two-tier cache (<c>services.AddMultiLayerCache(...)</c>).</param>
    public MultiLayerOutputCacheStore(IMultiLayerCache cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        _cache = cache;
    }

    /// <inheritdoc />
    public async ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var found = await _cache.GetAsync<byte[]>(Key(key), ReadOptions, cancellationToken).ConfigureAwait(false);
        return found.Found ? found.Value : null;
    }

    /// <inheritdoc />
    public ValueTask SetAsync(string key, byte[] value, string[]? tags, TimeSpan validFor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        var options = new CacheEntryOptions
        {
            LocalTtl = validFor,
            RedisTtl = validFor,
            Tags = tags is { Length: > 0 } ? tags : null,
            Sharing = ValueSharing.Share,
            SchemaTag = SchemaTag,
        };
        return _cache.SetAsync(Key(key), value, options, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask EvictByTagAsync(string tag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tag);
        await _cache.RemoveByTagAsync(tag, cancellationToken).ConfigureAwait(false);
    }

    // The output cache's key holds control characters (its separators) and can be long: one escaped segment keeps it
    // from forging separators of ours, and hashes it in place when long, as every value in a key is.
    private static string Key(string key) => KeyPrefix + ":" + CacheKey.EscapeValue(key);
}
