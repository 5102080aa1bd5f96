using Microsoft.AspNetCore.Http;

namespace Caching.AspNetCore;

/// <summary>
/// How one endpoint's responses are cached: times to live, what the key varies by, tags, and whether requests that
/// carry credentials may be cached under a per-user key. Immutable; build one with <see cref="ResponseCachePolicyBuilder"/>,
/// <c>.CacheResponse(ttl)</c> or <see cref="CacheResponseAttribute"/>.
/// </summary>
public sealed class ResponseCachePolicy : IResponseCachePolicyMetadata
{
    private readonly CacheEntryOptions _entryOptions;

    internal ResponseCachePolicy(
        TimeSpan localTtl,
        TimeSpan redisTtl,
        IReadOnlyList<string> varyByHeaders,
        IReadOnlyList<string> varyByRouteValues,
        IReadOnlyList<string> tags,
        Func<HttpContext, string?>? keyBuilder,
        Func<HttpContext, string?>? userKey,
        IReadOnlyList<string> storedHeaders,
        bool honorsClientCacheControl)
    {
        LocalTtl = localTtl;
        RedisTtl = redisTtl;
        VaryByHeaders = varyByHeaders;
        VaryByRouteValues = varyByRouteValues;
        Tags = tags;
        KeyBuilder = keyBuilder;
        UserKey = userKey;
        StoredHeaders = storedHeaders;
        HonorsClientCacheControl = honorsClientCacheControl;
        _entryOptions = new CacheEntryOptions
        {
            LocalTtl = localTtl,
            RedisTtl = redisTtl,
            Tags = tags.Count == 0 ? null : tags,
            // The middleware never mutates a cached response, so an L1 hit may hand out the stored instance.
            Sharing = ValueSharing.Share,
            SchemaTag = CachedResponse.SchemaTag,
        };
    }

    /// <summary>Time to live in the in-process cache.</summary>
    public TimeSpan LocalTtl { get; }

    /// <summary>Time to live in Redis.</summary>
    public TimeSpan RedisTtl { get; }

    /// <summary>Request headers whose values are part of the key (names compared ignoring case).</summary>
    public IReadOnlyList<string> VaryByHeaders { get; }

    /// <summary>Route values that are part of the key.</summary>
    public IReadOnlyList<string> VaryByRouteValues { get; }

    /// <summary>Tags stored with every response of the endpoint, for invalidation by tag.</summary>
    public IReadOnlyList<string> Tags { get; }

    /// <summary>
    /// Replaces the default base key (method, path and sorted query); <see langword="null"/> from the delegate means
    /// "do not cache this request". Header, route-value and user parts are still appended.
    /// </summary>
    public Func<HttpContext, string?>? KeyBuilder { get; }

    /// <summary>
    /// The per-user partition. When set, requests with credentials (<c>Authorization</c>, cookies, an authenticated user) are cached under this
    /// user's key; <see langword="null"/> from the delegate means "do not cache". When not set, such requests bypass the cache.
    /// </summary>
    public Func<HttpContext, string?>? UserKey { get; }

    /// <summary>
    /// Response headers stored and replayed besides the default allow-list (Content-Type, Content-Encoding,
    /// Content-Language, ETag, Last-Modified, Cache-Control, Expires, Vary). Any other header of the response that
    /// was stored reaches its own client only.
    /// </summary>
    public IReadOnlyList<string> StoredHeaders { get; }

    /// <summary>
    /// Whether a request's own directives are obeyed: <c>Cache-Control: no-cache</c>, <c>max-age=0</c> or
    /// <c>Pragma: no-cache</c> run the endpoint and refresh the entry, <c>no-store</c> bypasses the cache. Off by
    /// default, as in ASP.NET Core's output cache: otherwise any anonymous client can force a run of the endpoint
    /// on every request.
    /// </summary>
    public bool HonorsClientCacheControl { get; }

    ResponseCachePolicy IResponseCachePolicyMetadata.Policy => this;

    internal CacheEntryOptions EntryOptions => _entryOptions;
}
