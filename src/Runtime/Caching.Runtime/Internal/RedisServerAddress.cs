using System.Globalization;

namespace Caching.Internal;

/// <summary>Where the cache's Redis is, for its spans: host and port of the first endpoint of the configuration string.</summary>
internal readonly record struct RedisServerAddress(string Host, int? Port)
{
    /// <summary>Reads <c>host:6379</c>, <c>[::1]:6379</c>, <c>host</c> and a bare IPv6 address (colons, no brackets, no port).</summary>
    public static RedisServerAddress Parse(string endpoint)
    {
        var text = endpoint.Trim();
        string host;
        ReadOnlySpan<char> port;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return new RedisServerAddress(text, null);
            }

            host = text[1..close];
            port = close + 1 < text.Length && text[close + 1] == ':' ? text.AsSpan(close + 2) : [];
        }
        else
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0 || colon != text.LastIndexOf(':'))
            {
                return new RedisServerAddress(text, null);
            }

            host = text[..colon];
            port = text.AsSpan(colon + 1);
        }

        return new RedisServerAddress(host, int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null);
    }
}
