using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Caching.AspNetCore;

/// <summary>
/// Builds response keys: <c>{prefix}:{METHOD}:{path}[:q:{name}={value}&amp;...][:h:...][:r:...][:u:{user}]</c>.
/// Every name and value, and each <c>/</c>-separated segment of the path, is written by <see cref="CacheKey.EscapeValue"/>:
/// escaped, so a value can never forge a separator, and hashed in its place when longer than
/// <see cref="CacheKey.MaxValueLength"/>, so the key stays bounded and keeps its shape for patterns such as
/// <c>{prefix}:GET:/users/*</c>. The key is never hashed as a whole.
/// </summary>
public static class ResponseCacheKey
{
    /// <summary>
    /// The default base key: method (HEAD shares GET's entries), path as sent (paths can be case-sensitive), and the query
    /// sorted by parameter name. Names are compared ignoring case, as ASP.NET Core binds them; values keep their case and,
    /// for a repeated name, their order, since both can change the result.
    /// </summary>
    /// <param name="context">The request.</param>
    public static string Default(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var key = new StringBuilder(64);
        key.Append(HttpMethods.IsHead(request.Method) ? HttpMethods.Get : request.Method.ToUpperInvariant())
            .Append(':');
        AppendPath(key, request.PathBase.Add(request.Path).Value ?? "/");
        if (request.Query.Count > 0)
        {
            key.Append(":q:");
            AppendSorted(key, request.Query.Select(q => new KeyValuePair<string, string?[]>(q.Key.ToLowerInvariant(), q.Value.ToArray())));
        }

        return key.ToString();
    }

    /// <summary>
    /// Builds the response key from the policy's base key (<see cref="Default"/> unless the policy has its own
    /// builder, whose key is used as returned) and the headers, route values and user the policy varies by.
    /// </summary>
    internal static string? Build(HttpContext context, ResponseCachePolicy policy, string prefix, string? user)
    {
        var baseKey = policy.KeyBuilder is null ? Default(context) : policy.KeyBuilder(context);
        if (baseKey is null)
        {
            return null;
        }

        var key = new StringBuilder(prefix.Length + baseKey.Length + 32).Append(prefix).Append(':').Append(baseKey);
        if (policy.VaryByHeaders.Count > 0)
        {
            key.Append(":h:");
            AppendSorted(key, policy.VaryByHeaders.Select(h =>
            {
                var values = context.Request.Headers[h];
                return new KeyValuePair<string, string?[]>(h.ToLowerInvariant(), values.Count == 0 ? [null] : values.ToArray());
            }));
        }

        if (policy.VaryByRouteValues.Count > 0)
        {
            key.Append(":r:");
            AppendSorted(key, policy.VaryByRouteValues.Select(r => new KeyValuePair<string, string?[]>(
                r,
                [context.Request.RouteValues.TryGetValue(r, out var v) ? Convert.ToString(v, CultureInfo.InvariantCulture) : null])));
        }

        if (user is not null)
        {
            key.Append(":u:").Append(CacheKey.EscapeValue(user));
        }

        return key.ToString();
    }

    // Each path segment is its own value: hashing the whole path would keep a long path under /users/ from matching
    // the pattern GET:/users/*, so an invalidation would miss it. '/' is not reserved, so a short path reads as sent.
    private static void AppendPath(StringBuilder key, string path)
    {
        // Escaping the path whole gives the same text as escaping it segment by segment, so a path that fits the
        // limit whole (nearly all of them) costs no string per segment.
        var escaped = CacheKey.Escape(path);
        if (escaped.Length <= CacheKey.MaxValueLength)
        {
            key.Append(escaped);
            return;
        }

        var rest = path.AsSpan();
        while (true)
        {
            var slash = rest.IndexOf('/');
            var segment = slash < 0 ? rest : rest[..slash];
            key.Append(CacheKey.EscapeValue(segment.ToString()));
            if (slash < 0)
            {
                return;
            }

            key.Append('/');
            rest = rest[(slash + 1)..];
        }
    }

    private static void AppendSorted(StringBuilder key, IEnumerable<KeyValuePair<string, string?[]>> pairs)
    {
        var first = true;
        foreach (var (name, values) in pairs.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            foreach (var value in values)
            {
                if (!first)
                {
                    key.Append('&');
                }

                first = false;
                key.Append(CacheKey.EscapeValue(name)).Append('=').Append(CacheKey.EscapeValue(value));
            }
        }
    }
}
