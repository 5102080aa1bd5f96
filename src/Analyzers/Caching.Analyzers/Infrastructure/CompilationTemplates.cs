using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Caching.Analyzers.Infrastructure;

/// <summary>
/// The valid key and pattern templates of one compilation, gathered by a symbol action while the compilation is
/// analyzed and read once at its end, so the compilation-wide rules never walk the compilation themselves.
/// </summary>
internal sealed class CompilationTemplates
{
    private readonly CachingSymbols _symbols;
    private readonly ConcurrentBag<TemplateSite> _keys = new();
    private readonly ConcurrentBag<TemplateSite> _patterns = new();

    private CompilationTemplates(CachingSymbols symbols)
    {
        _symbols = symbols;
    }

    /// <summary>Registers the gathering on <paramref name="start"/>; null when the compilation has no caching attributes.</summary>
    public static CompilationTemplates? Register(CompilationStartAnalysisContext start)
    {
        var symbols = CachingSymbols.TryCreate(start.Compilation);
        if (symbols is null)
        {
            return null;
        }

        var templates = new CompilationTemplates(symbols);
        start.RegisterSymbolAction(templates.Collect, SymbolKind.Method);
        return templates;
    }

    public CachingSymbols Symbols => _symbols;

    /// <summary>Valid [Cached] keys, in source order.</summary>
    public List<TemplateSite> Keys() => Sorted(_keys);

    /// <summary>Valid [InvalidatesCache] patterns, in source order.</summary>
    public List<TemplateSite> Patterns() => Sorted(_patterns);

    private void Collect(SymbolAnalysisContext context)
    {
        foreach (var site in TemplateSites.Read((IMethodSymbol)context.Symbol, _symbols, context.CancellationToken))
        {
            if (!site.Template.IsValid)
            {
                continue;
            }

            if (site.Role == TemplateRole.Key)
            {
                _keys.Add(site);
            }
            else if (site.Role == TemplateRole.Pattern)
            {
                _patterns.Add(site);
            }
        }
    }

    private static List<TemplateSite> Sorted(ConcurrentBag<TemplateSite> bag)
    {
        // The bag's order depends on thread timing; diagnostics (and tie-breaks) must not.
        var list = new List<TemplateSite>(bag);
        list.Sort(static (a, b) =>
        {
            var x = a.Location;
            var y = b.Location;
            var byPath = string.CompareOrdinal(x.SourceTree?.FilePath, y.SourceTree?.FilePath);
            if (byPath != 0)
            {
                return byPath;
            }

            var bySpan = x.SourceSpan.Start.CompareTo(y.SourceSpan.Start);
            return bySpan != 0 ? bySpan : string.CompareOrdinal(a.Text, b.Text);
        });
        return list;
    }
}
