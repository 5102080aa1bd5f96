using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using Caching.Binding;
using Caching.Templates;
using Microsoft.CodeAnalysis;

namespace Caching.Analyzers.Infrastructure;

/// <summary>
/// Every valid key and pattern template of a compilation's own source, built at most once per compilation (on first
/// use, from the compilation-start state) by one walk over the source symbols. The compilation-wide rules consult it
/// from ordinary symbol actions, so their diagnostics are local: they show while typing and their fixes are offered.
/// Templates in generated code are part of the index (a pattern that matches a generated key is alive); the rules
/// never report in generated code, because their symbol actions are not called there.
/// </summary>
internal sealed class CompilationTemplates
{
    // One index per compilation for all the rules: each analyzer used to build its own, so the index's cost, the
    // largest part of a large compilation's analysis, was paid once per compilation-wide rule.
    private static readonly ConditionalWeakTable<Compilation, CompilationTemplates> Shared = new();

    private readonly CachingSymbols _symbols;
    private readonly object _gate = new();
    private CancellationToken _cancellationToken;
    private Index? _built;

    private CompilationTemplates(CachingSymbols symbols, CancellationToken cancellationToken)
    {
        _symbols = symbols;
        _cancellationToken = cancellationToken;
    }

    public CachingSymbols Symbols => _symbols;

    // Built once, under a lock; a build that was cancelled leaves nothing behind, so the next rule builds it with its
    // own token (an IDE may analyze the same compilation again after cancelling).
    private Index IndexValue
    {
        get
        {
            var built = Volatile.Read(ref _built);
            if (built is not null)
            {
                return built;
            }

            lock (_gate)
            {
                return _built ??= Build();
            }
        }
    }

    /// <summary>Valid [Cached] keys, in source order.</summary>
    public IReadOnlyList<TemplateSite> Keys => IndexValue.Keys;

    /// <summary>Valid [InvalidatesCache] patterns, in source order.</summary>
    public IReadOnlyList<TemplateSite> Patterns => IndexValue.Patterns;

    /// <summary>The keys by literal segment: the ones a pattern (or another key) can overlap, without a loop over all.</summary>
    public SegmentIndex KeyIndex => IndexValue.KeyIndex;

    /// <summary>The patterns by literal segment.</summary>
    public SegmentIndex PatternIndex => IndexValue.PatternIndex;

    /// <summary>Valid tags of [InvalidatesCache(Tags = ...)] by literal segment: a key with such a tag is invalidated through it.</summary>
    public SegmentIndex InvalidatedTagIndex => IndexValue.InvalidatedTagIndex;

    /// <summary>
    /// The templates <paramref name="site"/> becomes in Redis (<see cref="KeyForms"/>): as written when a non-generic
    /// type decorates its method, behind the type arguments when a generic one does, both when both do.
    /// </summary>
    public IReadOnlyList<KeyTemplate> FormsOf(TemplateSite site)
    {
        var index = IndexValue;
        if (index.Forms.TryGetValue(site, out var forms))
        {
            return forms;
        }

        return KeyForms.Of(site.Template, site.Role == TemplateRole.Pattern, index.PrefixSegmentsOf(site));
    }

    /// <summary>True when some key can be produced (or matched) by a form of each site.</summary>
    public bool CanOverlap(TemplateSite first, TemplateSite second)
    {
        using var pairs = OverlappingForms(first, second).GetEnumerator();
        return pairs.MoveNext();
    }

    /// <summary>The pairs of forms of the two sites that can produce (or match) one key.</summary>
    public IEnumerable<(KeyTemplate First, KeyTemplate Second)> OverlappingForms(TemplateSite first, TemplateSite second)
    {
        foreach (var a in FormsOf(first))
        {
            foreach (var b in FormsOf(second))
            {
                if (Overlap.CanOverlap(a, b))
                {
                    yield return (a, b);
                }
            }
        }
    }

    /// <summary>Null when the compilation does not reference the caching attributes.</summary>
    public static CompilationTemplates? Create(Compilation compilation, CancellationToken cancellationToken)
    {
        if (Shared.TryGetValue(compilation, out var existing))
        {
            existing._cancellationToken = cancellationToken;
            return existing;
        }

        var symbols = CachingSymbols.TryCreate(compilation);
        return symbols is null ? null : Shared.GetValue(compilation, _ => new CompilationTemplates(symbols, cancellationToken));
    }

    private Index Build()
    {
        var keys = new List<TemplateSite>();
        var patterns = new List<TemplateSite>();
        var invalidatedTags = new List<TemplateSite>();
        var prefixSegments = new Dictionary<string, SortedSet<int>>(StringComparer.Ordinal);
        var compilation = _symbols.Compilation;
        var attributeTrees = new AttributeTrees(compilation, _cancellationToken);
        var context = ReuseContext.Of(compilation, attributeTrees);
        foreach (var tree in compilation.SyntaxTrees)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            var read = TreeTemplates.Of(tree, _symbols, context, attributeTrees, _cancellationToken);
            if (read.InheritingInterfaces.Count > 0)
            {
                var model = compilation.GetSemanticModel(tree);
                foreach (var declaration in read.InheritingInterfaces)
                {
                    if (model.GetDeclaredSymbol(declaration, _cancellationToken) is INamedTypeSymbol type)
                    {
                        AddDecoration(type, prefixSegments);
                    }
                }
            }

            foreach (var site in read.Sites)
            {
                var indexed = new TemplateSite(site, () => BindMethod(site.MethodSyntax));
                if (site.Role == TemplateRole.Key)
                {
                    keys.Add(indexed);
                }
                else if (site.Role == TemplateRole.Pattern)
                {
                    patterns.Add(indexed);
                }
                else if (site.OnInvalidatesCache)
                {
                    invalidatedTags.Add(indexed);
                }
            }
        }

        SortBySourcePosition(keys);
        SortBySourcePosition(patterns);
        SortBySourcePosition(invalidatedTags);
        return new Index(keys, patterns, invalidatedTags, prefixSegments);
    }

    private IMethodSymbol BindMethod(SyntaxNode declaration)
    {
        var method = (IMethodSymbol)_symbols.Compilation.GetSemanticModel(declaration.SyntaxTree).GetDeclaredSymbol(declaration, _cancellationToken)!;
        return method.PartialDefinitionPart ?? method;
    }

    /// <summary>
    /// An interface's decorator writes its methods' templates behind its own type-argument segments, and that
    /// includes the methods of every interface it inherits: each of those declaring types gets this type's segment
    /// count too. A type that inherits nothing decorates only its own methods, which is the default.
    /// </summary>
    private static void AddDecoration(INamedTypeSymbol type, Dictionary<string, SortedSet<int>> prefixSegments)
    {
        var segments = KeySpaces.PrefixSegments(type);
        foreach (var inherited in type.AllInterfaces)
        {
            var declaring = SymbolNames.TypeKey(inherited);
            if (!prefixSegments.TryGetValue(declaring, out var set))
            {
                // The inherited interface is decorated in its own right too: its own form stays.
                set = new SortedSet<int> { KeySpaces.PrefixSegments(inherited.OriginalDefinition) };
                prefixSegments.Add(declaring, set);
            }

            set.Add(segments);
        }
    }

    // Each site's position is read once: a Location per comparison made the sort the index's largest cost at scale.
    private static void SortBySourcePosition(List<TemplateSite> sites)
    {
        var keyed = new (string? Path, int Start, string Text, TemplateSite Site)[sites.Count];
        for (var i = 0; i < sites.Count; i++)
        {
            var (path, start) = sites[i].SourcePosition;
            keyed[i] = (path, start, sites[i].Text, sites[i]);
        }

        Array.Sort(keyed, static (a, b) =>
        {
            var byPath = string.CompareOrdinal(a.Path, b.Path);
            if (byPath != 0)
            {
                return byPath;
            }

            var bySpan = a.Start.CompareTo(b.Start);
            return bySpan != 0 ? bySpan : string.CompareOrdinal(a.Text, b.Text);
        });
        for (var i = 0; i < keyed.Length; i++)
        {
            sites[i] = keyed[i].Site;
        }
    }

    private sealed class Index
    {
        private readonly Dictionary<string, SortedSet<int>> _prefixSegments;

        public Index(List<TemplateSite> keys, List<TemplateSite> patterns, List<TemplateSite> invalidatedTags, Dictionary<string, SortedSet<int>> prefixSegments)
        {
            _prefixSegments = prefixSegments;
            Keys = keys;
            Patterns = patterns;
            foreach (var list in new[] { keys, patterns, invalidatedTags })
            {
                foreach (var site in list)
                {
                    Forms[site] = KeyForms.Of(site.Template, site.Role == TemplateRole.Pattern, PrefixSegmentsOf(site));
                }
            }

            KeyIndex = new SegmentIndex(keys, site => Forms[site]);
            PatternIndex = new SegmentIndex(patterns, site => Forms[site]);
            InvalidatedTagIndex = new SegmentIndex(invalidatedTags, site => Forms[site]);
        }

        public Dictionary<TemplateSite, IReadOnlyList<KeyTemplate>> Forms { get; } = new();

        public SegmentIndex InvalidatedTagIndex { get; }

        public SegmentIndex KeyIndex { get; }

        public SegmentIndex PatternIndex { get; }

        public List<TemplateSite> Keys { get; }

        public List<TemplateSite> Patterns { get; }

        /// <summary>The type-argument segment counts of the decorators that write the templates of <paramref name="site"/>'s declaring type.</summary>
        public IReadOnlyCollection<int> PrefixSegmentsOf(TemplateSite site) =>
            _prefixSegments.TryGetValue(site.DeclaringType, out var set) ? set : new[] { site.OwnPrefixSegments };
    }
}
