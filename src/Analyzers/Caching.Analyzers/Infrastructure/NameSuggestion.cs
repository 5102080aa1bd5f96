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
            var distance = Score(name, candidate);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    /// <summary>
    /// A name that contains the other (<c>id</c> in <c>userId</c>) costs one per missing character, half of what
    /// the same insertions cost in the edit distance, so abbreviations find their parameter before unrelated
    /// names of similar length do.
    /// </summary>
    private static int Score(string name, string candidate)
    {
        if (name.Length > 0 && candidate.Length > 0
            && (candidate.IndexOf(name, StringComparison.OrdinalIgnoreCase) >= 0 || name.IndexOf(candidate, StringComparison.OrdinalIgnoreCase) >= 0))
        {
            return Math.Abs(candidate.Length - name.Length) + (string.Equals(name, candidate, StringComparison.Ordinal) ? 0 : 1);
        }

        return Distance(name, candidate);
    }

    /// <summary>Levenshtein distance (edits cost 2) where a change of letter case alone costs 1.</summary>
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
