using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;

namespace Caching;

/// <summary>
/// The escaping rules that keep a value from widening a key or a pattern (DESIGN invariant 3). A value is written
/// with every structural or glob character percent-encoded, so an escaped value never contains <c>:</c>, <c>*</c>,
/// <c>?</c>, <c>[</c>, <c>]</c>, <c>\</c>, braces, control characters or the key builders' separators.
/// </summary>
public static class CacheKey
{
    /// <summary>
    /// The longest escaped value a key builder writes as is. A longer one is replaced, inside its own segment, by
    /// <c>#</c> and 32 lower-case hex digits (the first 16 bytes of the SHA-256 of its UTF-8), so a key or pattern
    /// keeps its literal segments and its wildcards whatever the length of its values.
    /// </summary>
    /// <remarks>
    /// <c>#</c> is reserved (escaped) in values, so a hashed value never equals a real one. A pattern built from the
    /// same value hashes it the same way and still matches; a pattern that names only the start of a value
    /// (<c>q:ab*</c>) cannot match it once hashed, since the hash keeps none of its text.
    /// </remarks>
    public const int MaxValueLength = 128;

    /// <summary>How a <see langword="null"/> value is written: distinct from the empty string and from any escaped text.</summary>
    public const string NullToken = "%N";

    /// <summary>The length of a hashed value: <c>#</c> and 32 hex digits.</summary>
    internal const int HashedValueLength = 33;

    // 16 bytes of SHA-256 keep collisions out of reach (2^64 values for even odds) at a quarter of the full hex.
    private const int HashBytes = 16;

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

    /// <summary>
    /// Returns <paramref name="value"/> as a key builder writes it: escaped as by <see cref="Escape"/>, and hashed
    /// when the escaped text is longer than <see cref="MaxValueLength"/>. Use it for each value of a hand-built key
    /// or pattern; unlike <see cref="Escape"/> it cannot be reversed.
    /// </summary>
    /// <param name="value">A raw value.</param>
    public static string EscapeValue(string? value)
    {
        var escaped = Escape(value);
        if (escaped.Length <= MaxValueLength)
        {
            return escaped;
        }

        return string.Create(HashedValueLength, escaped, static (destination, text) => WriteHashedValue(text, destination));
    }

    /// <summary>
    /// Writes the hashed form of an escaped value (<see cref="HashedValueLength"/> characters) to
    /// <paramref name="destination"/>, which may overlap <paramref name="escaped"/>: the text is read in full first.
    /// </summary>
    internal static void WriteHashedValue(ReadOnlySpan<char> escaped, Span<char> destination)
    {
        // A UTF-16 unit takes at most 3 bytes (a surrogate pair takes 4 for its 2 units).
        var maxBytes = escaped.Length * 3;
        byte[]? rented = null;
        Span<byte> bytes = maxBytes <= 1024 ? stackalloc byte[1024] : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
        Span<byte> hash = stackalloc byte[32];
        try
        {
            SHA256.HashData(bytes[..EncodeUtf8(escaped, bytes)], hash);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        destination[0] = '#';
        Convert.TryToHexStringLower(hash[..HashBytes], destination[1..HashedValueLength], out _);
    }

    // Encoding.UTF8 would turn every unpaired surrogate into U+FFFD, so two values differing only in one would share
    // a hash, hence a cache entry. An unpaired surrogate is written as its generalized UTF-8 (WTF-8) instead: three
    // bytes that valid UTF-8 never contains. Well-formed text gets exactly its UTF-8.
    private static int EncodeUtf8(ReadOnlySpan<char> text, Span<byte> destination)
    {
        var total = 0;
        while (true)
        {
            var status = Utf8.FromUtf16(text, destination[total..], out var read, out var written, replaceInvalidSequences: false);
            total += written;
            if (status == OperationStatus.Done)
            {
                return total;
            }

            var unit = text[read];
            destination[total++] = (byte)(0xE0 | (unit >> 12));
            destination[total++] = (byte)(0x80 | ((unit >> 6) & 0x3F));
            destination[total++] = (byte)(0x80 | (unit & 0x3F));
            text = text[(read + 1)..];
        }
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
