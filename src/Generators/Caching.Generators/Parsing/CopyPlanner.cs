using System.Collections.Generic;
using System.Linq;
using System.Text;
using Caching.Generators.Helpers;
using Caching.Generators.Models;
using Microsoft.CodeAnalysis;

namespace Caching.Generators.Parsing;

/// <summary>
/// Plans the member-wise deep copy an L1 hit of a mutable result type hands out (<c>CacheValueCopier</c>), in place
/// of a deserialize. A copy carries what the serializer's round trip carries and nothing it would share: the public
/// properties with a public setter or init accessor and no <c>[JsonIgnore]</c>, each copied deeply (immutable members
/// as they are; lists, arrays, dictionaries, sets and the collection interfaces as new collections of copies; classes
/// and records member-wise). Whatever cannot be copied exactly that way goes back to the serializer, with the reason:
/// a cycle in the type graph, a type that needs its constructor's arguments, one marked polymorphic for JSON, an
/// abstract class, a mutable struct, a record with state outside its settable properties, <c>object</c>, an interface
/// other than a known collection, or a graph of more than <see cref="MaxFunctions"/> types.
/// </summary>
internal sealed class CopyPlanner
{
    private const int MaxFunctions = 24;
    private const string JsonIgnoreAttribute = "System.Text.Json.Serialization.JsonIgnoreAttribute";
    private const string JsonPolymorphicAttribute = "System.Text.Json.Serialization.JsonPolymorphicAttribute";
    private const string JsonDerivedTypeAttribute = "System.Text.Json.Serialization.JsonDerivedTypeAttribute";

    private readonly Dictionary<string, CopyFunctionModel> _functions = new();
    private readonly List<CopyFunctionModel> _ordered = new();
    private readonly HashSet<ITypeSymbol> _onStack = new(SymbolEqualityComparer.Default);
    private readonly TypeFacts _facts;
    private string? _failure;

    private CopyPlanner(TypeFacts facts)
    {
        _facts = facts;
    }

    /// <summary>The copy of <paramref name="type"/>, or null with <paramref name="reason"/> when the serializer must make it.</summary>
    public static CopierModel? Plan(ITypeSymbol type, TypeFacts facts, out string reason)
    {
        // Sharing = Copy asked for on an immutable type: the serializer's copy, as asked, not an identity function.
        if (facts.IsImmutable(type, out _))
        {
            reason = "copied by the serializer, as asked";
            return null;
        }

        var planner = new CopyPlanner(facts);
        var root = planner.FunctionFor(type.WithNullableAnnotation(NullableAnnotation.NotAnnotated));
        if (root is null || planner._failure is not null)
        {
            reason = planner._failure ?? Describe(type) + " cannot be copied member-wise";
            return null;
        }

        reason = "copied member-wise by " + root;
        return new CopierModel(root, planner._ordered.ToEquatableArray());
    }

    /// <summary>The expression that copies <paramref name="source"/> of <paramref name="type"/>, or null after a failure.</summary>
    private string? CopyOf(ITypeSymbol type, string source)
    {
        if (_facts.IsImmutable(type, out _))
        {
            return source;
        }

        if (type.IsValueType)
        {
            return Fail<string>(Describe(type) + " is a mutable struct");
        }

        var function = FunctionFor(type.WithNullableAnnotation(NullableAnnotation.NotAnnotated));
        if (function is null)
        {
            return null;
        }

        // Every function takes and returns null for null; a member declared non-nullable is told so.
        return type.NullableAnnotation == NullableAnnotation.Annotated ? function + "(" + source + ")" : function + "(" + source + ")!";
    }

    private string? FunctionFor(ITypeSymbol type)
    {
        // A type that contains itself could be copied recursively, but an instance graph with a cycle (a parent link)
        // would then overflow the stack: the serializer path fails on it with an exception instead.
        if (_onStack.Contains(type))
        {
            return Fail<string>(Describe(type) + " contains itself (a cycle in its type graph)");
        }

        var text = _facts.Text(type);
        if (_functions.TryGetValue(text, out var done))
        {
            return done.Name;
        }

        _onStack.Add(type);

        if (_functions.Count >= MaxFunctions)
        {
            return Fail<string>("the type graph of " + Describe(type) + " has more than " + MaxFunctions + " mutable types");
        }

        // Named after the type (a hash tells apart types whose short names agree), so the functions of every method of
        // a decorator can be merged by name.
        var name = "Copy_" + Sanitize(type) + "_" + Fnv(text);
        var placeholder = new CopyFunctionModel(name, text, EquatableArray<string>.Empty);
        _functions.Add(text, placeholder);
        var body = Body(type);
        _onStack.Remove(type);
        if (body is null)
        {
            return null;
        }

        var function = placeholder with { Body = body.ToEquatableArray() };
        _functions[text] = function;
        _ordered.Add(function);
        return name;
    }

    private List<string>? Body(ITypeSymbol type)
    {
        if (type is IArrayTypeSymbol array)
        {
            return array.Rank == 1 ? ArrayBody(array) : Fail<List<string>>(Describe(type) + " is a multi-dimensional array");
        }

        if (type is not INamedTypeSymbol named || type.SpecialType == SpecialType.System_Object || type.TypeKind == TypeKind.Dynamic)
        {
            return Fail<List<string>>(Describe(type) + " may hold anything");
        }

        if (SymbolNames.IsIn(named, "System.Collections.Generic"))
        {
            switch (named.MetadataName)
            {
                case "List`1":
                case "IList`1":
                case "ICollection`1":
                case "IEnumerable`1":
                case "IReadOnlyList`1":
                case "IReadOnlyCollection`1":
                    return ListBody(named.TypeArguments[0]);
                case "Dictionary`2":
                case "IDictionary`2":
                case "IReadOnlyDictionary`2":
                    return DictionaryBody(named, named.TypeArguments[0], named.TypeArguments[1], keepsComparer: named.TypeKind != TypeKind.Interface);
                case "HashSet`1":
                case "ISet`1":
                case "IReadOnlySet`1":
                    return SetBody(named.TypeArguments[0], keepsComparer: named.TypeKind != TypeKind.Interface);
            }
        }

        if (named.TypeKind == TypeKind.Interface)
        {
            return Fail<List<string>>(Describe(type) + " is an interface whose implementation is unknown");
        }

        if (named.TypeKind != TypeKind.Class || named.IsAbstract)
        {
            return Fail<List<string>>(Describe(type) + " is abstract or not a class");
        }

        if (named.AllInterfaces.Any(i => i.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T || i.SpecialType == SpecialType.System_Collections_IEnumerable))
        {
            return Fail<List<string>>(Describe(type) + " is a collection the copy does not know");
        }

        if (HasAttribute(named, JsonPolymorphicAttribute) || HasAttribute(named, JsonDerivedTypeAttribute))
        {
            return Fail<List<string>>(Describe(type) + " is polymorphic for JSON");
        }

        return named.IsRecord ? RecordBody(named) : ClassBody(named);
    }

    private List<string>? ArrayBody(IArrayTypeSymbol array)
    {
        var element = _facts.Text(array.ElementType);
        if (_facts.IsImmutable(array.ElementType, out _))
        {
            return ["return source is null ? null : (" + _facts.Text(array.WithNullableAnnotation(NullableAnnotation.NotAnnotated)) + ")source.Clone();"];
        }

        var item = CopyOf(array.ElementType, "source[i]");
        return item is null ? null :
        [
            "if (source is null) return null;",
            "var copy = new " + NewArray(array.ElementType, "source.Length") + ";",
            "for (var i = 0; i < source.Length; i++) copy[i] = " + item + ";",
            "return copy;",
        ];
    }

    private List<string>? ListBody(ITypeSymbol element)
    {
        var list = "global::System.Collections.Generic.List<" + _facts.Text(element) + ">";
        if (_facts.IsImmutable(element, out _))
        {
            return ["return source is null ? null : new " + list + "(source);"];
        }

        var item = CopyOf(element, "item");
        return item is null ? null :
        [
            "if (source is null) return null;",
            "var copy = new " + list + "();",
            "foreach (var item in source) copy.Add(" + item + ");",
            "return copy;",
        ];
    }

    private List<string>? DictionaryBody(INamedTypeSymbol type, ITypeSymbol key, ITypeSymbol value, bool keepsComparer)
    {
        if (!_facts.IsImmutable(key, out _))
        {
            return Fail<List<string>>(Describe(type) + " has keys of a mutable type");
        }

        var dictionary = "global::System.Collections.Generic.Dictionary<" + _facts.Text(key) + ", " + _facts.Text(value) + ">";
        var item = CopyOf(value, "pair.Value");
        return item is null ? null :
        [
            "if (source is null) return null;",
            "var copy = new " + dictionary + "(" + (keepsComparer ? "source.Count, source.Comparer" : string.Empty) + ");",
            "foreach (var pair in source) copy.Add(pair.Key, " + item + ");",
            "return copy;",
        ];
    }

    private List<string>? SetBody(ITypeSymbol element, bool keepsComparer)
    {
        if (!_facts.IsImmutable(element, out _))
        {
            return Fail<List<string>>("a set of " + Describe(element) + " hashes mutable items");
        }

        var set = "global::System.Collections.Generic.HashSet<" + _facts.Text(element) + ">";
        return ["return source is null ? null : new " + set + "(source" + (keepsComparer ? ", source.Comparer" : string.Empty) + ");"];
    }

    private List<string>? ClassBody(INamedTypeSymbol type)
    {
        if (!type.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility == Accessibility.Public))
        {
            return Fail<List<string>>(Describe(type) + " has no public parameterless constructor");
        }

        var assignments = Assignments(type, copyImmutable: true);
        if (assignments is null)
        {
            return null;
        }

        var body = new List<string> { "if (source is null) return null;", "return new " + _facts.Text(type) + "()" };
        AppendInitializer(body, assignments);
        return body;
    }

    private List<string>? RecordBody(INamedTypeSymbol type)
    {
        // 'with' clones every field; what is shared after it must be immutable or replaced by a copy.
        foreach (var field in InstanceFields(type))
        {
            if (field.AssociatedSymbol is IPropertySymbol property && IsCopiedMember(property))
            {
                continue;
            }

            if (!_facts.IsImmutable(field.Type, out _))
            {
                return Fail<List<string>>(Describe(type) + "." + (field.AssociatedSymbol?.Name ?? field.Name) + " is mutable state outside the settable properties");
            }
        }

        var assignments = Assignments(type, copyImmutable: false);
        if (assignments is null)
        {
            return null;
        }

        var body = new List<string> { "if (source is null) return null;" };
        if (assignments.Count == 0)
        {
            body.Add("return source with { };");
            return body;
        }

        body.Add("return source with");
        AppendInitializer(body, assignments);
        return body;
    }

    /// <summary>"Name = copy," for each copied member; with <paramref name="copyImmutable"/> false, only the mutable ones.</summary>
    private List<string>? Assignments(INamedTypeSymbol type, bool copyImmutable)
    {
        var assignments = new List<string>();
        var seen = new HashSet<string>();
        for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            foreach (var member in current.GetMembers())
            {
                if (member is not IPropertySymbol property || !IsCopiedMember(property) || !seen.Add(property.Name))
                {
                    continue;
                }

                var immutable = _facts.IsImmutable(property.Type, out _);
                if (immutable && !copyImmutable)
                {
                    continue;
                }

                var name = SymbolText.Identifier(property.Name);
                var copy = immutable ? "source." + name : CopyOf(property.Type, "source." + name);
                if (copy is null)
                {
                    return null;
                }

                assignments.Add(name + " = " + copy + ",");
            }
        }

        return assignments;
    }

    private static void AppendInitializer(List<string> body, List<string> assignments)
    {
        body.Add("{");
        foreach (var assignment in assignments)
        {
            body.Add("    " + assignment);
        }

        body.Add("};");
    }

    /// <summary>What the serializer round-trips: public, instance, readable and writable (set or init), not ignored.</summary>
    private static bool IsCopiedMember(IPropertySymbol property) =>
        !property.IsStatic
        && !property.IsIndexer
        && property.DeclaredAccessibility == Accessibility.Public
        && property.GetMethod is { DeclaredAccessibility: Accessibility.Public }
        && property.SetMethod is { DeclaredAccessibility: Accessibility.Public }
        && !IsAlwaysIgnored(property);

    private static bool IsAlwaysIgnored(IPropertySymbol property)
    {
        foreach (var attribute in property.GetAttributes())
        {
            if (!SymbolNames.Is(attribute.AttributeClass, JsonIgnoreAttribute))
            {
                continue;
            }

            // JsonIgnoreCondition.Always is 1, and the default; the conditional ones still round-trip values.
            var condition = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Condition").Value;
            return condition.Value is null or 1;
        }

        return false;
    }

    private static IEnumerable<IFieldSymbol> InstanceFields(INamedTypeSymbol type)
    {
        for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            foreach (var member in current.GetMembers())
            {
                if (member is IFieldSymbol { IsStatic: false, IsConst: false } field)
                {
                    yield return field;
                }
            }
        }
    }

    private static bool HasAttribute(INamedTypeSymbol type, string name) => SymbolNames.FindAttribute(type, name) is not null;

    // new T[n] for an element type that is itself an array needs the brackets in C#'s order: new T[n][].
    private string NewArray(ITypeSymbol element, string length)
    {
        var suffix = new StringBuilder();
        var innermost = element;
        while (innermost is IArrayTypeSymbol inner)
        {
            suffix.Append('[').Append(',', inner.Rank - 1).Append(']');
            innermost = inner.ElementType;
        }

        return _facts.Text(innermost) + "[" + length + "]" + suffix;
    }

    private static string Sanitize(ITypeSymbol type)
    {
        var text = new StringBuilder();
        foreach (var c in type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat))
        {
            text.Append(char.IsLetterOrDigit(c) ? c : '_');
        }

        return text.ToString();
    }

    private static string Fnv(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return hash.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Describe(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);

    /// <summary>Records the first reason the copy cannot be generated; the plan is then abandoned.</summary>
    private T? Fail<T>(string reason)
        where T : class
    {
        _failure ??= reason;
        return null;
    }
}
