namespace Caching.Internal;

/// <summary>
/// Which HybridCache keys the facade caches, as Microsoft's DefaultHybridCache decides: not empty or white space, no
/// longer than <see cref="MultiLayerHybridCacheOptions.MaximumKeyLength"/>, no control characters. It also refuses
/// keys that are not valid UTF-16 (a lone surrogate), which Microsoft keeps in L1 only: Redis stores keys as UTF-8,
/// where two such keys become one, and the backplane could not name the key to evict it on other nodes.
/// </summary>
internal static class HybridKeyRules
{
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
        if (span.IndexOfAnyInRange('\0', (char)31) >= 0)
        {
            return "the key contains control characters";
        }

        return HasLoneSurrogate(span) ? "the key is not valid UTF-16 (a lone surrogate)" : null;
    }

    private static bool HasLoneSurrogate(ReadOnlySpan<char> text)
    {
        var first = text.IndexOfAnyInRange('\uD800', '\uDFFF');
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
}
