using System;
using System.Collections.Generic;
using Caching.Templates;

namespace Caching.Analyzers.Infrastructure;

/// <summary>
/// Templates grouped by the literal text they start with, so that a rule comparing one template with all the
/// others of the compilation looks only at those that can agree at the start: the ones whose leading literal is a
/// prefix of its own, or starts with it. That is exactly the pairs <see cref="Overlap"/> does not reject at once,
/// found in O(length of the literal + log N + candidates) instead of a loop over all N templates.
/// </summary>
internal sealed class PrefixIndex
{
    private readonly Dictionary<string, List<TemplateSite>> _byLeading = new(StringComparer.Ordinal);
    private readonly string[] _sorted;
    private readonly int[] _lengths;

    public PrefixIndex(IReadOnlyList<TemplateSite> sites)
    {
        foreach (var site in sites)
        {
            var leading = Overlap.LeadingLiteral(site.Template);
            if (!_byLeading.TryGetValue(leading, out var group))
            {
                group = new List<TemplateSite>();
                _byLeading.Add(leading, group);
            }

            group.Add(site);
        }

        _sorted = new string[_byLeading.Count];
        _byLeading.Keys.CopyTo(_sorted, 0);
        Array.Sort(_sorted, StringComparer.Ordinal);
        var lengths = new SortedSet<int>();
        foreach (var leading in _sorted)
        {
            lengths.Add(leading.Length);
        }

        _lengths = new int[lengths.Count];
        lengths.CopyTo(_lengths);
    }

    /// <summary>The templates that agree with <paramref name="template"/> on their leading literal text, in index order.</summary>
    public IEnumerable<TemplateSite> Candidates(KeyTemplate template)
    {
        var leading = Overlap.LeadingLiteral(template);

        // Shorter (or equal) leading literals that are a prefix of this one: one lookup per length that occurs.
        foreach (var length in _lengths)
        {
            if (length > leading.Length)
            {
                break;
            }

            if (_byLeading.TryGetValue(length == leading.Length ? leading : leading.Substring(0, length), out var group))
            {
                foreach (var site in group)
                {
                    yield return site;
                }
            }
        }

        // Longer leading literals that start with this one: a contiguous run of the sorted array.
        var start = Array.BinarySearch(_sorted, leading, StringComparer.Ordinal);
        start = start < 0 ? ~start : start + 1;
        for (var i = start; i < _sorted.Length && _sorted[i].StartsWith(leading, StringComparison.Ordinal); i++)
        {
            foreach (var site in _byLeading[_sorted[i]])
            {
                yield return site;
            }
        }
    }
}
