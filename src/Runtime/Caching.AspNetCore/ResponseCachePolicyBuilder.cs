using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace Caching.AspNetCore;

/// <summary>Builds a <see cref="ResponseCachePolicy"/>.</summary>
public sealed class ResponseCachePolicyBuilder
{
    private readonly List<string> _headers = [];
    private readonly List<string> _routeValues = [];
    private readonly List<string> _tags = [];
    private readonly List<string> _storedHeaders = [];
    private bool _honorClientCacheControl;
    private TimeSpan _localTtl;
    private TimeSpan _redisTtl;
    private Func<HttpContext, string?>? _keyBuilder;
    private Func<HttpContext, string?>? _userKey;

    /// <summary>Starts a policy whose entries live <paramref name="ttl"/> in both tiers.</summary>
    /// <param name="ttl">Time to live in L1 and Redis.</param>
    public ResponseCachePolicyBuilder(TimeSpan ttl)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        _localTtl = ttl;
        _redisTtl = ttl;
    }

    /// <summary>Sets the in-process time to live (shorter than Redis's keeps nodes closer to each other).</summary>
    /// <param name="ttl">Time to live in L1.</param>
    public ResponseCachePolicyBuilder LocalTtl(TimeSpan ttl)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        _localTtl = ttl;
        return this;
    }

    /// <summary>Sets the Redis time to live.</summary>
    /// <param name="ttl">Time to live in Redis.</param>
    public ResponseCachePolicyBuilder RedisTtl(TimeSpan ttl)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        _redisTtl = ttl;
        return this;
    }

    /// <summary>Adds request headers whose values split the cache (such as <c>Accept-Language</c>).</summary>
    /// <param name="headerNames">Header names.</param>
    public ResponseCachePolicyBuilder VaryByHeader(params string[] headerNames)
    {
        AddNames(_headers, headerNames, StringComparer.OrdinalIgnoreCase);
        return this;
    }

    /// <summary>Adds route values that split the cache (needed only with a custom key builder; the default key has the path).</summary>
    /// <param name="routeValueNames">Route value names.</param>
    public ResponseCachePolicyBuilder VaryByRouteValue(params string[] routeValueNames)
    {
        AddNames(_routeValues, routeValueNames, StringComparer.OrdinalIgnoreCase);
        return this;
    }

    /// <summary>Adds tags to every stored response, so <c>RemoveByTagAsync</c> (or the invalidation endpoint) can drop them.</summary>
    /// <param name="tags">Tags.</param>
    public ResponseCachePolicyBuilder Tag(params string[] tags)
    {
        AddNames(_tags, tags, StringComparer.Ordinal);
        return this;
    }

    /// <summary>Replaces the default base key (method + path + sorted query). Return <see langword="null"/> to not cache a request.</summary>
    /// <param name="keyBuilder">Builds the base key.</param>
    public ResponseCachePolicyBuilder Key(Func<HttpContext, string?> keyBuilder)
    {
        _keyBuilder = keyBuilder ?? throw new ArgumentNullException(nameof(keyBuilder));
        return this;
    }

    /// <summary>
    /// Opts in to caching requests that carry credentials, each user under their own key. Return <see langword="null"/>
    /// to not cache a request (for instance, an anonymous one).
    /// </summary>
    /// <param name="userKey">Returns the user's partition.</param>
    public ResponseCachePolicyBuilder PerUser(Func<HttpContext, string?> userKey)
    {
        _userKey = userKey ?? throw new ArgumentNullException(nameof(userKey));
        return this;
    }

    /// <summary>As <see cref="PerUser(Func{HttpContext, string?})"/>, keyed by a claim of the authenticated user.</summary>
    /// <param name="claimType">The claim whose value identifies the user (default: <see cref="ClaimTypes.NameIdentifier"/>).</param>
    public ResponseCachePolicyBuilder PerUser(string claimType = ClaimTypes.NameIdentifier)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(claimType);
        return PerUser(UserClaim(claimType));
    }

    /// <summary>
    /// Stores and replays these response headers too (the default allow-list is Content-Type, Content-Encoding,
    /// Content-Language, ETag, Last-Modified, Cache-Control, Expires and Vary). Every client of the key receives them.
    /// </summary>
    /// <param name="headerNames">Header names.</param>
    /// <exception cref="ArgumentException">A header that belongs to one client or one transmission (Set-Cookie, WWW-Authenticate, Date, Content-Length...).</exception>
    public ResponseCachePolicyBuilder StoreHeader(params string[] headerNames)
    {
        ArgumentNullException.ThrowIfNull(headerNames);
        foreach (var name in headerNames)
        {
            if (name is not null && !StoredHeaders.MayStore(name))
            {
                throw new ArgumentException($"'{name}' belongs to one client or one transmission; it is never stored.", nameof(headerNames));
            }
        }

        AddNames(_storedHeaders, headerNames, StringComparer.OrdinalIgnoreCase);
        return this;
    }

    /// <summary>
    /// Obeys the request's own cache directives: <c>Cache-Control: no-cache</c>, <c>max-age=0</c> and
    /// <c>Pragma: no-cache</c> run the endpoint and refresh the entry, <c>no-store</c> bypasses the cache. Off by
    /// default, because it lets any client force a run of the endpoint; a request without it is answered from the
    /// cache whatever it asks (a <c>no-store</c> request's response is then not stored).
    /// </summary>
    public ResponseCachePolicyBuilder HonorClientCacheControl()
    {
        _honorClientCacheControl = true;
        return this;
    }

    /// <summary>Builds the immutable policy.</summary>
    public ResponseCachePolicy Build() =>
        new(_localTtl, _redisTtl, [.. _headers], [.. _routeValues], [.. _tags], _keyBuilder, _userKey, [.. _storedHeaders], _honorClientCacheControl);

    internal static Func<HttpContext, string?> UserClaim(string claimType) =>
        context => context.User.Identity?.IsAuthenticated == true ? context.User.FindFirst(claimType)?.Value : null;

    private static void AddNames(List<string> target, string[] names, StringComparer comparer)
    {
        ArgumentNullException.ThrowIfNull(names);
        foreach (var name in names)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(name);
            if (!target.Contains(name, comparer))
            {
                target.Add(name);
            }
        }
    }
}
