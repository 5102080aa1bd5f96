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

        var keys = new TypedKeys(templates);
        return (context, method) => Analyze(context, method, templates, keys);
    }

    private static void Analyze(SymbolAnalysisContext context, IMethodSymbol method, CompilationTemplates templates, TypedKeys keys)
    {
        var symbols = templates.Symbols;
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

        // Each side of a collision reports on its own key when its own method is analyzed. Only the keys that agree
        // with this one's literal segments can collide with it: the index hands out those, not all N.
        var collisions = new List<(int Order, TemplateSite Other, ITypeSymbol OtherType)>();
        foreach (var other in templates.KeyIndex.Candidates(templates.FormsOf(key)))
        {
            if (!keys.TryGet(other, out var typed)
                || !templates.CanOverlap(key, other)
                || SymbolEqualityComparer.Default.Equals(type, typed.Type)
                || SymbolEqualityComparer.Default.Equals(other.Method, method))
            {
                continue;
            }

            collisions.Add((typed.Order, other, typed.Type));
        }

        collisions.Sort(static (a, b) => a.Order.CompareTo(b.Order));
        foreach (var (_, other, otherType) in collisions)
        {

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

    /// <summary>
    /// A key's place in source order (reports keep that order) and its cached type, the type looked up only for the
    /// keys a query meets: binding every key's method up front was most of the rule's cost in an IDE, where the index
    /// hands out keys read in earlier compilations.
    /// </summary>
    private sealed class TypedKeys
    {
        private readonly CompilationTemplates _templates;
        private readonly Lazy<Dictionary<TemplateSite, int>> _order;
        private readonly System.Collections.Concurrent.ConcurrentDictionary<TemplateSite, ITypeSymbol> _types = new();

        public TypedKeys(CompilationTemplates templates)
        {
            _templates = templates;
            _order = new Lazy<Dictionary<TemplateSite, int>>(
                () =>
                {
                    var order = new Dictionary<TemplateSite, int>(templates.Keys.Count);
                    for (var i = 0; i < templates.Keys.Count; i++)
                    {
                        order.Add(templates.Keys[i], i);
                    }

                    return order;
                },
                LazyThreadSafetyMode.ExecutionAndPublication);
        }

        /// <summary>False when <paramref name="key"/> is not an indexed key or its type cannot be compared.</summary>
        public bool TryGet(TemplateSite key, out (int Order, ITypeSymbol Type) typed)
        {
            typed = default;
            if (!_order.Value.TryGetValue(key, out var order))
            {
                return false;
            }

            var type = _types.GetOrAdd(key, k => _templates.Symbols.CachedValueType(k.Method));
            typed = (order, type);
            return IsComparable(type);
        }
    }
}
