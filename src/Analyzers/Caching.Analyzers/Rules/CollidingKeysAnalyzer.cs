using System;
using System.Collections.Generic;
using System.Threading;
using Caching.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Caching.Analyzers.Rules;

/// <summary>CACHE005: two [Cached] key templates that can produce one key while caching different types.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CollidingKeysAnalyzer : RuleAnalyzer
{
    /// <summary>Creates the rule.</summary>
    public CollidingKeysAnalyzer()
        : base(DiagnosticDescriptors.CollidingKeys)
    {
    }

    /// <inheritdoc/>
    private protected override Action<SymbolAnalysisContext, IMethodSymbol>? Start(CompilationTemplates templates)
    {
        if (templates.Symbols.CachedAttribute is null)
        {
            return null;
        }

        var keys = new Lazy<List<(TemplateSite Site, ITypeSymbol Type)>>(() => TypedKeys(templates), LazyThreadSafetyMode.ExecutionAndPublication);
        return (context, method) => Analyze(context, method, templates.Symbols, keys);
    }

    private static List<(TemplateSite Site, ITypeSymbol Type)> TypedKeys(CompilationTemplates templates)
    {
        var keys = new List<(TemplateSite, ITypeSymbol)>(templates.Keys.Count);
        foreach (var key in templates.Keys)
        {
            var type = templates.Symbols.CachedValueType(key.Method);
            if (IsComparable(type))
            {
                keys.Add((key, type));
            }
        }

        return keys;
    }

    private static void Analyze(SymbolAnalysisContext context, IMethodSymbol method, CachingSymbols symbols, Lazy<List<(TemplateSite Site, ITypeSymbol Type)>> keys)
    {
        var key = TemplateSites.FindKey(TemplateSites.Read(method, symbols, context.CancellationToken));
        if (key is null || !key.Template.IsValid)
        {
            return;
        }

        var type = symbols.CachedValueType(method);
        if (!IsComparable(type))
        {
            return;
        }

        // Each side of a collision reports on its own key when its own method is analyzed. The cheap literal test
        // goes first: in a large service layer almost every pair already differs in its first segment.
        foreach (var (other, otherType) in keys.Value)
        {
            if (!Overlap.CanOverlap(key, other)
                || SymbolEqualityComparer.Default.Equals(type, otherType)
                || SymbolEqualityComparer.Default.Equals(other.Method, method))
            {
                continue;
            }

            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.CollidingKeys,
                key.Location,
                new[] { other.Location },
                key.DisplayText,
                key.MethodName,
                SymbolNames.Type(type),
                other.DisplayText,
                other.MethodName,
                SymbolNames.Type(otherType)));
        }
    }

    /// <summary>
    /// A type parameter's argument is chosen by the caller (and the generator may prefix keys with it): whether
    /// two such keys collide is not known at compile time.
    /// </summary>
    private static bool IsComparable(ITypeSymbol type) => !type.IsErrorType() && !ContainsTypeParameter(type);

    private static bool ContainsTypeParameter(ITypeSymbol type)
    {
        switch (type)
        {
            case ITypeParameterSymbol:
                return true;
            case IArrayTypeSymbol array:
                return ContainsTypeParameter(array.ElementType);
            case INamedTypeSymbol named:
                foreach (var argument in named.TypeArguments)
                {
                    if (ContainsTypeParameter(argument))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }
}
