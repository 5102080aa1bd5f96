using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Caching.AspNetCore;

/// <summary>
/// Which response headers a stored response keeps. An allow-list, not a deny-list: a stored response is replayed to
/// other clients, and a header the middleware does not know (a session token, a CORS grant, a request id) must not
/// travel from one client to the next because nobody thought to exclude it. A policy adds names with
/// <see cref="ResponseCachePolicyBuilder.StoreHeader"/>; names that describe one transmission or one client never.
/// </summary>
internal static class StoredHeaders
{
    /// <summary>Headers that describe the representation, which every client of the same key may see.</summary>
    public static readonly string[] Default =
    [
        HeaderNames.ContentType, HeaderNames.ContentEncoding, HeaderNames.ContentLanguage, HeaderNames.LastModified,
        HeaderNames.CacheControl, HeaderNames.Expires, HeaderNames.Vary,
    ];

    // One client's state (cookies, credentials challenges), one transmission's framing, or what the middleware writes
    // itself on every answer (ETag is kept apart, Age and X-Cache are computed per answer).
    private static readonly HashSet<string> Refused = new(StringComparer.OrdinalIgnoreCase)
    {
        HeaderNames.SetCookie, "Set-Cookie2", HeaderNames.WWWAuthenticate, HeaderNames.ProxyAuthenticate,
        HeaderNames.Age, HeaderNames.Connection, HeaderNames.ContentLength, HeaderNames.Date, HeaderNames.ETag,
        HeaderNames.KeepAlive, HeaderNames.Trailer, HeaderNames.TransferEncoding, HeaderNames.Upgrade,
        ResponseCacheMiddleware.XCache,
    };

    /// <summary>Whether a policy may add <paramref name="name"/> to what is stored.</summary>
    public static bool MayStore(string name) => !Refused.Contains(name);

    /// <summary>The allow-listed headers of <paramref name="headers"/> as name/value pairs (name at even indexes).</summary>
    public static string[] Capture(IHeaderDictionary headers, IReadOnlyList<string> extra)
    {
        var kept = new List<string>((Default.Length + extra.Count) * 2);
        Add(kept, headers, Default);
        Add(kept, headers, extra);
        return [.. kept];
    }

    private static void Add(List<string> kept, IHeaderDictionary headers, IReadOnlyList<string> names)
    {
        foreach (var name in names)
        {
            if (!headers.TryGetValue(name, out var values))
            {
                continue;
            }

            foreach (var value in values)
            {
                kept.Add(name);
                kept.Add(value ?? string.Empty);
            }
        }
    }
}
