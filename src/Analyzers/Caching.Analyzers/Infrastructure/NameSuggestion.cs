using System;
using System.Collections.Generic;

namespace Caching.Analyzers.Infrastructure;

/// <summary>Picks the candidate closest to a misspelt name (case-insensitive edit distance).</summary>
internal static class NameSuggestion
{
    public static string? Closest(string name, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = Distance(name, candidate);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    /// <summary>Levenshtein distance where a change of letter case alone costs less than any edit.</summary>
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j * 2;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i * 2;
            for (var j = 1; j <= b.Length; j++)
            {
                var x = a[i - 1];
                var y = b[j - 1];
                var substitution = x == y ? 0 : char.ToUpperInvariant(x) == char.ToUpperInvariant(y) ? 1 : 2;
                current[j] = Math.Min(Math.Min(previous[j] + 2, current[j - 1] + 2), previous[j - 1] + substitution);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
