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

    // A site filed under two leading literals could be handed out twice for one query: only then are candidates de-duplicated.
    private readonly bool _someSiteHasForms;

    /// <summary>Indexes each site under the leading literal of each of its key forms (<see cref="KeyForms"/>).</summary>
    public PrefixIndex(IReadOnlyList<TemplateSite> sites, Func<TemplateSite, IReadOnlyList<KeyTemplate>> forms)
    {
        foreach (var site in sites)
        {
            var siteForms = forms(site);
            _someSiteHasForms |= siteForms.Count > 1;
            foreach (var form in siteForms)
            {
                var leading = Overlap.LeadingLiteral(form);
                if (!_byLeading.TryGetValue(leading, out var group))
                {
                    group = new List<TemplateSite>();
                    _byLeading.Add(leading, group);
                }

                if (group.Count == 0 || !ReferenceEquals(group[group.Count - 1], site))
                {
                    group.Add(site);
                }
            }
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

    /// <summary>
    /// The sites one of whose forms agrees with one of <paramref name="forms"/> on their leading literal text, each
    /// once, in index order per form.
    /// </summary>
    public IEnumerable<TemplateSite> Candidates(IReadOnlyList<KeyTemplate> forms)
    {
        if (forms.Count == 1 && !_someSiteHasForms)
        {
            return Candidates(forms[0]);
        }

        var seen = new HashSet<TemplateSite>();
        var candidates = new List<TemplateSite>();
        foreach (var form in forms)
        {
            foreach (var site in Candidates(form))
            {
                if (seen.Add(site))
                {
                    candidates.Add(site);
                }
            }
        }

        return candidates;
    }

    /// <summary>The sites with a form that agrees with <paramref name="template"/> on their leading literal text, in index order.</summary>
    private IEnumerable<TemplateSite> Candidates(KeyTemplate template)
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
