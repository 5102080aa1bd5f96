using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Caching.Generators.Models;
using Microsoft.CodeAnalysis;

namespace Caching.Generators.Parsing;

/// <summary>
/// What the parse learned about each type in one compilation, worked out once however many methods ask. After any
/// edit the compiler hands every annotated method to the transform again (a new compilation means new symbols), and
/// most of that parse is the same result, member and parameter types written out and judged over and over: a DTO
/// returned by five methods, <c>string</c> in every signature. Keyed by the compilation, so nothing here outlives its
/// symbols or travels down the pipeline, which carries only the models built from it.
/// </summary>
internal sealed class TypeFacts
{
    private static readonly ConditionalWeakTable<Compilation, TypeFacts> PerCompilation = new();

    // Nullability is part of the key: it changes the text ("T?") and the reasons written into generated comments.
    private readonly ConcurrentDictionary<ITypeSymbol, string> _text = new(SymbolEqualityComparer.IncludeNullability);
    private readonly ConcurrentDictionary<ITypeSymbol, (bool Immutable, string Reason)> _immutability = new(SymbolEqualityComparer.IncludeNullability);
    private readonly ConcurrentDictionary<ITypeSymbol, string> _schemaTags = new(SymbolEqualityComparer.IncludeNullability);
    private readonly ConcurrentDictionary<ITypeSymbol, (CopierModel? Copier, string Reason)> _copiers = new(SymbolEqualityComparer.IncludeNullability);

    private TypeFacts()
    {
    }

    public static TypeFacts Of(Compilation compilation) => PerCompilation.GetValue(compilation, static _ => new TypeFacts());

    /// <summary><see cref="SymbolText.Type"/>: fully qualified, nullable-annotated.</summary>
    public string Text(ITypeSymbol type) => _text.GetOrAdd(type, static t => SymbolText.Type(t));

    /// <summary><see cref="ValueShape.IsImmutable(ITypeSymbol, out string)"/>.</summary>
    public bool IsImmutable(ITypeSymbol type, out string reason)
    {
        var verdict = _immutability.GetOrAdd(type, static t => (ValueShape.IsImmutable(t, out var why), why));
        reason = verdict.Reason;
        return verdict.Immutable;
    }

    /// <summary><see cref="ValueShape.SchemaTag"/>.</summary>
    public string SchemaTag(ITypeSymbol type) => _schemaTags.GetOrAdd(type, static t => ValueShape.SchemaTag(t));

    /// <summary><see cref="CopyPlanner.Plan"/>, planned with these facts.</summary>
    public CopierModel? Copier(ITypeSymbol type, out string reason)
    {
        if (!_copiers.TryGetValue(type, out var plan))
        {
            plan = (CopyPlanner.Plan(type, this, out var why), why);
            _copiers.TryAdd(type, plan);
        }

        reason = plan.Reason;
        return plan.Copier;
    }
}
