using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Caching.Analyzers.Infrastructure;

/// <summary>
/// What, besides its own text, decides how a tree's caching attributes read: the referenced assemblies (where the
/// attribute classes come from) and every file's global usings (which make <c>[Cached]</c> bind, or not, in a file
/// without <c>using Caching;</c>). Compilations that agree on both share one context object, so a tree read under it
/// (<see cref="TreeTemplates"/>) is reused by comparing references. A compilation that declares a type named like a
/// caching attribute in source gets a context of its own: a file of it may bind a name to that type instead.
/// </summary>
internal sealed class ReuseContext
{
    private const int Remembered = 8;

    // The last few contexts, newest first: an IDE analyzes a handful of projects in turn.
    private static readonly List<ReuseContext> Recent = new();

    private readonly MetadataReference[] _references;
    private readonly string _globalUsings;

    private ReuseContext(MetadataReference[] references, string globalUsings)
    {
        _references = references;
        _globalUsings = globalUsings;
    }

    /// <summary>The context of <paramref name="compilation"/>, the same object as an earlier compilation's when they agree.</summary>
    public static ReuseContext Of(Compilation compilation, AttributeTrees attributeTrees)
    {
        var references = compilation.References.ToArray();
        var globalUsings = attributeTrees.GlobalUsings;
        if (compilation.ContainsSymbolsWithName("CachedAttribute", SymbolFilter.Type) || compilation.ContainsSymbolsWithName("InvalidatesCacheAttribute", SymbolFilter.Type)
            || compilation.ContainsSymbolsWithName("Cached", SymbolFilter.Type) || compilation.ContainsSymbolsWithName("InvalidatesCache", SymbolFilter.Type))
        {
            return new ReuseContext(references, globalUsings);
        }

        lock (Recent)
        {
            foreach (var known in Recent)
            {
                if (known._globalUsings == globalUsings && SameReferences(known._references, references))
                {
                    Recent.Remove(known);
                    Recent.Insert(0, known);
                    return known;
                }
            }

            var context = new ReuseContext(references, globalUsings);
            Recent.Insert(0, context);
            if (Recent.Count > Remembered)
            {
                Recent.RemoveAt(Recent.Count - 1);
            }

            return context;
        }
    }

    private static bool SameReferences(MetadataReference[] known, MetadataReference[] references)
    {
        if (known.Length != references.Length)
        {
            return false;
        }

        for (var i = 0; i < known.Length; i++)
        {
            if (!ReferenceEquals(known[i], references[i]))
            {
                return false;
            }
        }

        return true;
    }
}
