using System.Buffers;

namespace Caching.Internal;

/// <summary>
/// Which HybridCache keys the facade caches, as Microsoft's DefaultHybridCache decides: not empty or white space, no
/// longer than <see cref="MultiLayerHybridCacheOptions.MaximumKeyLength"/>, no control characters. It also refuses
/// keys that are not valid UTF-16 (a lone surrogate), which Microsoft keeps in L1 only: Redis stores keys as UTF-8,
/// where two such keys become one, and the backplane could not name the key to evict it on other nodes.
/// </summary>
internal static class HybridKeyRules
{
    // SearchValues rather than IndexOfAnyInRange: the generic range search boxes its bounds until the JIT optimizes
    // it, which put allocations on every L1 hit of a freshly started process.
    private static readonly SearchValues<char> ControlCharacters = SearchValues.Create(Range('\0', (char)31));
    private static readonly SearchValues<char> Surrogates = SearchValues.Create(Range('\uD800', '\uDFFF'));

    /// <summary>Null when the key can be cached, else why not (without the key's text).</summary>
    public static string? Refusal(string key, int maximumLength)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            return "the key is empty or white space";
        }

        if (key.Length > maximumLength)
        {
            return $"the key is {key.Length} characters long, over MaximumKeyLength {maximumLength}";
        }

        var span = key.AsSpan();
        if (span.IndexOfAny(ControlCharacters) >= 0)
        {
            return "the key contains control characters";
        }

        return HasLoneSurrogate(span) ? "the key is not valid UTF-16 (a lone surrogate)" : null;
    }

    private static bool HasLoneSurrogate(ReadOnlySpan<char> text)
    {
        var first = text.IndexOfAny(Surrogates);
        if (first < 0)
        {
            return false;
        }

        for (var i = first; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static string Range(char first, char last)
    {
        var text = new char[last - first + 1];
        for (var i = 0; i < text.Length; i++)
        {
            text[i] = (char)(first + i);
        }

        return new string(text);
    }
}
