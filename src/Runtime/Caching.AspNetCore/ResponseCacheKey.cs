using System.Buffers;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

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
        var key = Rent();
        AppendDefault(key, context.Request);
        return Return(key);
    }

    /// <summary>
    /// Builds the response key from the policy's base key (<see cref="Default"/> unless the policy has its own
    /// builder, whose key is used as returned) and the headers, route values and user the policy varies by.
    /// </summary>
    internal static string? Build(HttpContext context, ResponseCachePolicy policy, string prefix, string? user)
    {
        var custom = policy.KeyBuilder?.Invoke(context);
        if (policy.KeyBuilder is not null && custom is null)
        {
            return null;
        }

        var key = Rent().Append(prefix).Append(':');
        if (custom is null)
        {
            AppendDefault(key, context.Request);
        }
        else
        {
            key.Append(custom);
        }

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

        return Return(key);
    }

    private static void AppendDefault(StringBuilder key, HttpRequest request)
    {
        key.Append(HttpMethods.IsHead(request.Method) ? HttpMethods.Get : request.Method.ToUpperInvariant())
            .Append(':');
        AppendPath(key, request.PathBase.Add(request.Path).Value ?? "/");
        if (request.Query.Count > 0)
        {
            key.Append(":q:");
            AppendQuery(key, request.Query);
        }
    }

    // Every request that reaches the cache builds its key here, hits included: no LINQ, no per-pair arrays, and a
    // stable insertion sort, which for the handful of parameters a query has beats a general sort.
    private static void AppendQuery(StringBuilder key, IQueryCollection query)
    {
        var pairs = ArrayPool<KeyValuePair<string, StringValues>>.Shared.Rent(query.Count);
        try
        {
            var count = 0;
            foreach (var pair in query)
            {
                var entry = new KeyValuePair<string, StringValues>(pair.Key.ToLowerInvariant(), pair.Value);
                var at = count++;
                while (at > 0 && string.CompareOrdinal(pairs[at - 1].Key, entry.Key) > 0)
                {
                    pairs[at] = pairs[at - 1];
                    at--;
                }

                pairs[at] = entry;
            }

            var first = true;
            for (var i = 0; i < count; i++)
            {
                var name = CacheKey.EscapeValue(pairs[i].Key);
                foreach (var value in pairs[i].Value)
                {
                    if (!first)
                    {
                        key.Append('&');
                    }

                    first = false;
                    key.Append(name).Append('=').Append(CacheKey.EscapeValue(value));
                }
            }
        }
        finally
        {
            ArrayPool<KeyValuePair<string, StringValues>>.Shared.Return(pairs, clearArray: true);
        }
    }

    [ThreadStatic]
    private static StringBuilder? t_builder;

    private static StringBuilder Rent()
    {
        var builder = t_builder ?? new StringBuilder(128);
        t_builder = null;
        return builder.Clear();
    }

    private static string Return(StringBuilder builder)
    {
        var text = builder.ToString();
        if (builder.Capacity <= 1024)
        {
            t_builder = builder;
        }

        return text;
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
