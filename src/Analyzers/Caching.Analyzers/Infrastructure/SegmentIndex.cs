using System.Collections.Generic;
using Caching.Templates;

namespace Caching.Analyzers.Infrastructure;

/// <summary>
/// Templates filed by their literal segments, so that a rule comparing one template with all the others of the
/// compilation looks only at those that can meet it. A hole never holds ':', so up to a template's first wildcard its
/// segments sit at fixed positions: where a query has the literal segment L at position p, another template can meet it
/// only if its own segment p is L, holds a hole, or comes after a wildcard of its own. The query asks at its most
/// selective such position. Realistic service layers share their leading segments (<c>tenant:{tenantId}:...</c>), so
/// filing by the leading literal alone handed every query nearly every template (issue 12's compile-time budget).
/// </summary>
internal sealed class SegmentIndex
{
    private static readonly List<TemplateSite> Empty = new();

    private readonly Dictionary<(int Position, string Text), List<TemplateSite>> _literal = new();
    private readonly Dictionary<int, List<TemplateSite>> _open = new();
    private readonly List<(int FixedSegments, TemplateSite Site)> _wildcards = new();
    private readonly List<TemplateSite> _all = new();

    // A site with two forms can be filed twice under one key: only then are candidates de-duplicated.
    private readonly bool _someSiteHasForms;

    /// <summary>Files each site under the segments of each of its key forms (<see cref="KeyForms"/>).</summary>
    public SegmentIndex(IReadOnlyList<TemplateSite> sites, System.Func<TemplateSite, IReadOnlyList<KeyTemplate>> forms)
    {
        foreach (var site in sites)
        {
            _all.Add(site);
            var siteForms = forms(site);
            _someSiteHasForms |= siteForms.Count > 1;
            foreach (var form in siteForms)
            {
                var segments = FixedSegments(form, out var hasWildcard);
                for (var p = 0; p < segments.Count; p++)
                {
                    if (segments[p] is { } text)
                    {
                        Add(_literal, (p, text), site);
                    }
                    else
                    {
                        Add(_open, p, site);
                    }
                }

                if (hasWildcard)
                {
                    _wildcards.Add((segments.Count, site));
                }
            }
        }
    }

    /// <summary>
    /// The sites one of whose forms can meet one of <paramref name="forms"/>, each once, in index order per form: a
    /// superset of the sites <see cref="TemplateOverlap.CanOverlap"/> accepts, never missing one.
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

    private IEnumerable<TemplateSite> Candidates(KeyTemplate template)
    {
        var segments = FixedSegments(template, out _);
        var best = -1;
        var bestCount = int.MaxValue;
        for (var p = 0; p < segments.Count; p++)
        {
            if (segments[p] is not { } text)
            {
                continue;
            }

            var count = Get(_literal, (p, text)).Count + Get(_open, p).Count + WildcardsBefore(p);
            if (count < bestCount)
            {
                (best, bestCount) = (p, count);
            }
        }

        if (best < 0)
        {
            // Nothing literal at a fixed position (a template of holes, or one that starts with a wildcard).
            return _all;
        }

        var position = best;
        return Union(Get(_literal, (position, segments[position]!)), Get(_open, position), position);
    }

    private IEnumerable<TemplateSite> Union(List<TemplateSite> literal, List<TemplateSite> open, int position)
    {
        // A site appears in at most one of the two lists per form; a wildcard site may also sit in one of them (its
        // segments before the wildcard are filed too), hence the check.
        var seen = _someSiteHasForms || _wildcards.Count > 0 ? new HashSet<TemplateSite>() : null;
        foreach (var site in literal)
        {
            if (seen is null || seen.Add(site))
            {
                yield return site;
            }
        }

        foreach (var site in open)
        {
            if (seen is null || seen.Add(site))
            {
                yield return site;
            }
        }

        foreach (var (fixedSegments, site) in _wildcards)
        {
            if (fixedSegments <= position && (seen is null || seen.Add(site)))
            {
                yield return site;
            }
        }
    }

    private int WildcardsBefore(int position)
    {
        var count = 0;
        foreach (var (fixedSegments, _) in _wildcards)
        {
            if (fixedSegments <= position)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// The segments before the first wildcard: the text of each all-literal one, null for one with a hole. A segment
    /// that a wildcard ends is not fixed ('*' and '?' may stand for ':').
    /// </summary>
    // Per template object: the index is rebuilt for every compilation, but the templates of unchanged trees are the same
    // objects (TreeTemplates), so their segments are split once.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<KeyTemplate, Split> Splits = new();

    private static List<string?> FixedSegments(KeyTemplate template, out bool hasWildcard)
    {
        var split = Splits.GetValue(template, static t => new Split(SplitSegments(t, out var wildcard), wildcard));
        hasWildcard = split.HasWildcard;
        return split.Segments;
    }

    private static List<string?> SplitSegments(KeyTemplate template, out bool hasWildcard)
    {
        var segments = new List<string?>();
        var current = new System.Text.StringBuilder();
        var literal = true;
        hasWildcard = false;
        foreach (var part in template.Parts)
        {
            if (part.Kind == TemplatePartKind.Wildcard)
            {
                hasWildcard = true;
                return segments;
            }

            if (part.Kind == TemplatePartKind.Hole)
            {
                literal = false;
                continue;
            }

            foreach (var c in part.Text)
            {
                if (c == ':')
                {
                    segments.Add(literal ? current.ToString() : null);
                    current.Clear();
                    literal = true;
                }
                else
                {
                    current.Append(c);
                }
            }
        }

        segments.Add(literal ? current.ToString() : null);
        return segments;
    }

    private sealed class Split
    {
        public Split(List<string?> segments, bool hasWildcard)
        {
            Segments = segments;
            HasWildcard = hasWildcard;
        }

        public List<string?> Segments { get; }

        public bool HasWildcard { get; }
    }

    private static void Add<TKey>(Dictionary<TKey, List<TemplateSite>> map, TKey key, TemplateSite site)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list))
        {
            list = new List<TemplateSite>();
            map.Add(key, list);
        }

        if (list.Count == 0 || !ReferenceEquals(list[list.Count - 1], site))
        {
            list.Add(site);
        }
    }

    private static List<TemplateSite> Get<TKey>(Dictionary<TKey, List<TemplateSite>> map, TKey key)
        where TKey : notnull =>
        map.TryGetValue(key, out var list) ? list : Empty;
}
