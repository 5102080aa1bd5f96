using System.Buffers;
using System.Text;

namespace Caching.Internal;

/// <summary>
/// Matches keys against the glob subset the cache accepts (<c>*</c> and <c>?</c>) exactly as Redis MATCH does, so
/// L1 and Redis always agree on what a pattern removes. Redis compares bytes: <c>?</c> is one UTF-8 byte, so
/// non-ASCII text is matched on its UTF-8 encoding.
/// </summary>
internal static class GlobPattern
{
    public static bool IsMatch(string pattern, string text)
    {
        if (Ascii.IsValid(pattern) && Ascii.IsValid(text))
        {
            return Match(pattern.AsSpan(), text.AsSpan(), '*', '?');
        }

        var patternBytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(pattern.Length));
        var textBytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            var patternLength = Encoding.UTF8.GetBytes(pattern, patternBytes);
            var textLength = Encoding.UTF8.GetBytes(text, textBytes);
            return Match<byte>(patternBytes.AsSpan(0, patternLength), textBytes.AsSpan(0, textLength), (byte)'*', (byte)'?');
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(patternBytes);
            ArrayPool<byte>.Shared.Return(textBytes);
        }
    }

    public static bool HasWildcard(string pattern) => pattern.AsSpan().IndexOfAny('*', '?') >= 0;

    private static bool Match<T>(ReadOnlySpan<T> pattern, ReadOnlySpan<T> text, T star, T question)
        where T : IEquatable<T>
    {
        int p = 0, t = 0, starPattern = -1, starText = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p].Equals(question) || pattern[p].Equals(text[t])) && !pattern[p].Equals(star))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p].Equals(star))
            {
                starPattern = p++;
                starText = t;
            }
            else if (starPattern >= 0)
            {
                p = starPattern + 1;
                t = ++starText;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p].Equals(star))
        {
            p++;
        }

        return p == pattern.Length;
    }
}
