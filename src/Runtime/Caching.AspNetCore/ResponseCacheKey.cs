using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Caching.AspNetCore;

/// <summary>
/// Builds response keys: <c>{prefix}:{METHOD}:{path}[:q:{name}={value}&amp;...][:h:...][:r:...][:u:{user}]</c>.
/// Every name and value is escaped with <see cref="CacheKey.Escape"/>, so a value can never forge a separator.
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
            .Append(':')
            .Append(CacheKey.Escape(request.PathBase.Add(request.Path).Value ?? "/"));
        if (request.Query.Count > 0)
        {
            key.Append(":q:");
            AppendSorted(key, request.Query.Select(q => new KeyValuePair<string, string?[]>(q.Key.ToLowerInvariant(), q.Value.ToArray())));
        }

        return key.ToString();
    }

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
            key.Append(":u:").Append(CacheKey.Escape(user));
        }

        return CacheKey.Limit(key.ToString());
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
                key.Append(CacheKey.Escape(name)).Append('=').Append(CacheKey.Escape(value));
            }
        }
    }
}
