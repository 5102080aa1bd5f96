using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Caching;

/// <summary>
/// The escaping rules that keep a value from widening a key or a pattern (DESIGN invariant 3). A value is written
/// with every structural or glob character percent-encoded, so an escaped value never contains <c>:</c>, <c>*</c>,
/// <c>?</c>, <c>[</c>, <c>]</c>, <c>\</c>, braces, control characters or the key builders' separators.
/// </summary>
public static class CacheKey
{
    /// <summary>Keys longer than this are shortened to a prefix and a SHA-256 of the whole key (never truncated).</summary>
    public const int MaxLength = 512;

    /// <summary>How a <see langword="null"/> value is written: distinct from the empty string and from any escaped text.</summary>
    public const string NullToken = "%N";

    private const int HashedPrefixLength = MaxLength - 66;

    // C0 and C1 controls alike (every char.IsControl character): IsValidPattern and the template grammar reject C1
    // controls too, so a raw one in a value would give a key that no pattern could name.
    private static readonly SearchValues<char> Reserved = SearchValues.Create(
        "%:*?[]\\{}(),=&#\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\u007F" +
        "\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008A\u008B\u008C\u008D\u008E\u008F\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009A\u009B\u009C\u009D\u009E\u009F");

    /// <summary>Returns <paramref name="value"/> with every reserved character percent-encoded; <see langword="null"/> becomes <see cref="NullToken"/>.</summary>
    /// <param name="value">A raw value.</param>
    public static string Escape(string? value)
    {
        if (value is null)
        {
            return NullToken;
        }

        if (value.AsSpan().IndexOfAny(Reserved) < 0)
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (IsReserved(c))
            {
                builder.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>Reverses <see cref="Escape"/>.</summary>
    /// <param name="escaped">Escaped text.</param>
    public static string? Unescape(string escaped)
    {
        ArgumentNullException.ThrowIfNull(escaped);
        if (escaped == NullToken)
        {
            return null;
        }

        if (!escaped.Contains('%', StringComparison.Ordinal))
        {
            return escaped;
        }

        var builder = new StringBuilder(escaped.Length);
        for (var i = 0; i < escaped.Length; i++)
        {
            if (escaped[i] == '%' && i + 2 < escaped.Length && int.TryParse(escaped.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
            {
                builder.Append((char)code);
                i += 2;
            }
            else
            {
                builder.Append(escaped[i]);
            }
        }

        return builder.ToString();
    }

    /// <summary>True when <paramref name="c"/> is written percent-encoded inside a value.</summary>
    /// <param name="c">A character.</param>
    public static bool IsReserved(char c) => Reserved.Contains(c);

    /// <summary>Shortens a key longer than <see cref="MaxLength"/> to a readable prefix plus a SHA-256 of the whole key.</summary>
    /// <param name="key">The full key.</param>
    public static string Limit(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length <= MaxLength)
        {
            return key;
        }

        Span<byte> hash = stackalloc byte[32];
        var maxBytes = Encoding.UTF8.GetMaxByteCount(key.Length);
        var rented = ArrayPool<byte>.Shared.Rent(maxBytes);
        try
        {
            var written = Encoding.UTF8.GetBytes(key, rented);
            SHA256.HashData(rented.AsSpan(0, written), hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        var prefix = key.AsSpan(0, HashedPrefixLength);
        if (char.IsHighSurrogate(prefix[^1]))
        {
            prefix = prefix[..^1];
        }

        return string.Concat(prefix, "#", Convert.ToHexStringLower(hash));
    }

    /// <summary>
    /// Checks that <paramref name="pattern"/> is a pattern this cache can apply on every tier: non-empty, no
    /// control characters, and no glob syntax other than <c>*</c> and <c>?</c>.
    /// </summary>
    /// <param name="pattern">An invalidation pattern.</param>
    /// <param name="reason">Why the pattern is rejected.</param>
    public static bool IsValidPattern(string? pattern, out string reason)
    {
        if (string.IsNullOrEmpty(pattern))
        {
            reason = "The pattern is empty.";
            return false;
        }

        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c is '[' or ']' or '\\')
            {
                reason = $"'{c}' at position {i} is not supported; patterns use only '*' (any text) and '?' (one character).";
                return false;
            }

            if (char.IsControl(c))
            {
                reason = $"Control character U+{(int)c:X4} at position {i} is not allowed in a pattern.";
                return false;
            }
        }

        reason = string.Empty;
        return true;
    }
}
