using Microsoft.CodeAnalysis;

namespace Caching.Generators.Parsing;

/// <summary>
/// Name tests that build no strings. <c>ToDisplayString()</c> costs about a microsecond and allocates; the parse
/// asks thousands of these questions after every edit (every attribute of every method, every interface of every
/// result type), so comparing names segment by segment keeps the re-run after an edit cheap.
/// </summary>
internal static class SymbolNames
{
    /// <summary>
    /// True when <paramref name="symbol"/> is the top-level type (or namespace) whose namespace-qualified metadata
    /// name is <paramref name="fullName"/>: <c>"System.Collections.Generic.List`1"</c>, <c>"Caching.CachedAttribute"</c>.
    /// </summary>
    public static bool Is(ISymbol? symbol, string fullName)
    {
        if (symbol is null || symbol.ContainingType is not null)
        {
            return false;
        }

        var end = fullName.Length;
        if (!TrimSegment(fullName, ref end, symbol.MetadataName))
        {
            return false;
        }

        for (var ns = symbol.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
        {
            if (!TrimSegment(fullName, ref end, ns.Name))
            {
                return false;
            }
        }

        return end == 0;
    }

    /// <summary>True when <paramref name="type"/> is declared directly in the namespace <paramref name="fullName"/> ("System.Collections.Generic").</summary>
    public static bool IsIn(ISymbol type, string fullName) =>
        type.ContainingType is null && type.ContainingNamespace is { IsGlobalNamespace: false } ns && Is(ns, fullName);

    /// <summary>The attribute of the class named <paramref name="fullName"/> applied to <paramref name="symbol"/>, or null.</summary>
    public static AttributeData? FindAttribute(ISymbol symbol, string fullName)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (Is(attribute.AttributeClass, fullName))
            {
                return attribute;
            }
        }

        return null;
    }

    /// <summary>Removes <paramref name="segment"/> and the dot before it from the end of <paramref name="fullName"/>[0..end).</summary>
    private static bool TrimSegment(string fullName, ref int end, string segment)
    {
        var start = end - segment.Length;
        if (start < 0 || string.CompareOrdinal(fullName, start, segment, 0, segment.Length) != 0)
        {
            return false;
        }

        if (start == 0)
        {
            end = 0;
            return true;
        }

        if (fullName[start - 1] != '.')
        {
            return false;
        }

        end = start - 1;
        return true;
    }
}
