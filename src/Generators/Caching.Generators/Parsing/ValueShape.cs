using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;

namespace Caching.Generators.Parsing;

/// <summary>
/// Compile-time facts about a cached value type: whether an in-process hit may hand out the shared instance
/// (DESIGN invariant 8), and a fingerprint of its serialized shape so that entries written before a DTO changed
/// are a clean miss after the deployment.
/// </summary>
internal static class ValueShape
{
    private const string ImmutableObjectAttribute = "System.ComponentModel.ImmutableObjectAttribute";
    private const string JsonIgnoreAttribute = "System.Text.Json.Serialization.JsonIgnoreAttribute";
    private const string JsonPropertyNameAttribute = "System.Text.Json.Serialization.JsonPropertyNameAttribute";

    private static readonly string[] ImmutableLeafTypes =
    {
        "System.Uri",
        "System.Version",
        "System.Text.Json.JsonElement",
        "System.Text.Json.Nodes.JsonValue",
    };

    /// <summary>
    /// True when no caller can change a shared instance: strings, primitives, enums, structs whose reference-typed
    /// members are immutable (a struct is copied on return anyway), sealed classes and records whose fields are
    /// readonly and whose properties are get-only or init-only (recursively), <c>[ImmutableObject(true)]</c>, immutable
    /// and frozen collections. Interfaces, even <c>IReadOnlyList&lt;T&gt;</c>, are not: the instance behind them (a List&lt;T&gt;
    /// after deserialization) can be cast back and changed. The runtime applies the same rule to Auto (<c>ImmutabilityRules</c>; <c>ImmutabilityParityTests</c> holds both to one catalogue).
    /// </summary>
    /// <param name="reason">Why, in a few words, for a comment in the generated code.</param>
    public static bool IsImmutable(ITypeSymbol type, out string reason)
    {
        var visiting = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default);
        reason = string.Empty;
        var immutable = IsImmutable(type, visiting, ref reason);
        if (immutable)
        {
            reason = Describe(type) + " is immutable";
        }

        return immutable;
    }

    private static bool IsImmutable(ITypeSymbol type, HashSet<ITypeSymbol> visiting, ref string reason)
    {
        if (IsSimple(type))
        {
            return true;
        }

        switch (type)
        {
            case ITypeParameterSymbol:
                reason = "the type parameter " + type.Name + " is unknown at compile time";
                return false;
            case IArrayTypeSymbol:
                reason = Describe(type) + " is an array";
                return false;
            case not INamedTypeSymbol:
                reason = Describe(type) + " may be mutable";
                return false;
        }

        var named = (INamedTypeSymbol)type;

        if (type.SpecialType == SpecialType.System_Object || type.TypeKind == TypeKind.Dynamic)
        {
            reason = "object may hold anything";
            return false;
        }

        if (HasAttribute(named, ImmutableObjectAttribute, out var attribute) && attribute!.ConstructorArguments is [{ Value: true }])
        {
            return true;
        }

        if (IsImmutableLeaf(named))
        {
            return true;
        }

        if (SymbolNames.IsIn(named, "System.Collections.Immutable") || SymbolNames.IsIn(named, "System.Collections.Frozen"))
        {
            foreach (var argument in named.TypeArguments)
            {
                if (!IsImmutable(argument, visiting, ref reason))
                {
                    return false;
                }
            }

            return true;
        }

        if (named.TypeKind == TypeKind.Interface)
        {
            reason = Describe(type) + " is an interface whose implementation may be mutable";
            return false;
        }

        if (named.TypeKind != TypeKind.Struct && named.AllInterfaces.Any(i => SymbolNames.Is(i, "System.Collections.Generic.ICollection`1") || SymbolNames.Is(i, "System.Collections.IList") || SymbolNames.Is(i, "System.Collections.IDictionary")))
        {
            reason = Describe(type) + " is a mutable collection";
            return false;
        }

        if (named.TypeKind == TypeKind.Class && !named.IsSealed && !named.IsRecord)
        {
            reason = Describe(type) + " is not sealed: a derived type may add state that changes";
            return false;
        }

        if (!visiting.Add(named))
        {
            return true;
        }

        var isStruct = named.IsValueType;
        for (var current = named; current is not null && current.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType); current = current.BaseType)
        {
            foreach (var member in current.GetMembers())
            {
                if (member.IsStatic)
                {
                    continue;
                }

                switch (member)
                {
                    case IFieldSymbol field:
                        // A struct is copied when it is returned, so only what its fields point to can be shared.
                        if (!isStruct && !field.IsReadOnly && !field.IsConst)
                        {
                            reason = Describe(type) + "." + Name(field) + (field.AssociatedSymbol is IPropertySymbol ? " has a setter" : " is a mutable field");
                            return false;
                        }

                        if (!IsImmutable(field.Type, visiting, ref reason))
                        {
                            return false;
                        }

                        break;
                    case IPropertySymbol property when property.DeclaredAccessibility == Accessibility.Public:
                        if (!isStruct && property.SetMethod is { IsInitOnly: false })
                        {
                            reason = Describe(type) + "." + property.Name + " has a setter";
                            return false;
                        }

                        if (!IsImmutable(property.Type, visiting, ref reason))
                        {
                            return false;
                        }

                        break;
                }
            }
        }

        return true;
    }

    private static string Name(IFieldSymbol field) => field.AssociatedSymbol?.Name ?? field.Name;

    private static bool IsSimple(ITypeSymbol type)
    {
        if (type.TypeKind == TypeKind.Enum)
        {
            return true;
        }

        switch (type.SpecialType)
        {
            case SpecialType.System_Boolean:
            case SpecialType.System_Char:
            case SpecialType.System_SByte:
            case SpecialType.System_Byte:
            case SpecialType.System_Int16:
            case SpecialType.System_UInt16:
            case SpecialType.System_Int32:
            case SpecialType.System_UInt32:
            case SpecialType.System_Int64:
            case SpecialType.System_UInt64:
            case SpecialType.System_Decimal:
            case SpecialType.System_Single:
            case SpecialType.System_Double:
            case SpecialType.System_String:
            case SpecialType.System_IntPtr:
            case SpecialType.System_UIntPtr:
            case SpecialType.System_DateTime:
                return true;
        }

        if (type is INamedTypeSymbol { IsValueType: true } && SymbolNames.IsIn(type, "System")
            && type.Name is "Guid" or "DateTimeOffset" or "TimeSpan" or "DateOnly" or "TimeOnly" or "Half" or "Int128" or "UInt128")
        {
            return true;
        }

        return type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable && IsSimple(nullable.TypeArguments[0]);
    }

    /// <summary>
    /// Eight hex digits of FNV-1a over the type's serialized shape: for each public readable instance property and
    /// field (JSON name, ordered), its shape, recursively; collections by element type; enums by their members.
    /// Renaming a type alone does not change it; adding, removing, renaming or retyping a member does.
    /// </summary>
    public static string SchemaTag(ITypeSymbol type)
    {
        var text = new StringBuilder();
        AppendShape(text, type, new List<ITypeSymbol>());
        var hash = 2166136261u;
        foreach (var c in text.ToString())
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return hash.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void AppendShape(StringBuilder text, ITypeSymbol type, List<ITypeSymbol> stack)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            AppendShape(text, nullable.TypeArguments[0], stack);
            text.Append('?');
            return;
        }

        if (type.TypeKind == TypeKind.Enum && type is INamedTypeSymbol enumType)
        {
            text.Append("enum:").Append(enumType.EnumUnderlyingType?.Name).Append('(');
            foreach (var field in enumType.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasConstantValue))
            {
                text.Append(field.Name).Append('=').Append(System.Convert.ToString(field.ConstantValue, System.Globalization.CultureInfo.InvariantCulture)).Append(',');
            }

            text.Append(')');
            return;
        }

        if (IsSimple(type) || type.SpecialType == SpecialType.System_Object)
        {
            text.Append(type.OriginalDefinition.ToDisplayString());
            return;
        }

        switch (type)
        {
            case ITypeParameterSymbol parameter:
                text.Append('!').Append(parameter.Name);
                return;
            case IArrayTypeSymbol array:
                text.Append('[');
                AppendShape(text, array.ElementType, stack);
                text.Append(']');
                return;
            case not INamedTypeSymbol:
                text.Append(type.ToDisplayString());
                return;
        }

        var named = (INamedTypeSymbol)type;
        if (IsImmutableLeaf(named))
        {
            text.Append(named.ToDisplayString());
            return;
        }

        if (FindDictionary(named) is { } dictionary)
        {
            text.Append('{');
            AppendShape(text, dictionary.TypeArguments[0], stack);
            text.Append("=>");
            AppendShape(text, dictionary.TypeArguments[1], stack);
            text.Append('}');
            return;
        }

        if (FindEnumerable(named) is { } elementType)
        {
            text.Append('[');
            AppendShape(text, elementType, stack);
            text.Append(']');
            return;
        }

        if (stack.Contains(named, SymbolEqualityComparer.Default))
        {
            // A cycle: the type's members are already being written further up.
            text.Append('^').Append(named.Name);
            return;
        }

        stack.Add(named);
        text.Append('(');
        foreach (var (name, memberType) in SerializedMembers(named).OrderBy(m => m.Name, System.StringComparer.Ordinal))
        {
            text.Append(name).Append(':');
            AppendShape(text, memberType, stack);
            text.Append(';');
        }

        text.Append(')');
        stack.RemoveAt(stack.Count - 1);
    }

    private static IEnumerable<(string Name, ITypeSymbol Type)> SerializedMembers(INamedTypeSymbol type)
    {
        var seen = new HashSet<string>();
        for (var current = type; current is not null && current.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType); current = current.BaseType)
        {
            foreach (var member in current.GetMembers())
            {
                if (member.IsStatic || member.DeclaredAccessibility != Accessibility.Public || member.IsImplicitlyDeclared || HasAttribute(member, JsonIgnoreAttribute, out _))
                {
                    continue;
                }

                ITypeSymbol? memberType = member switch
                {
                    IPropertySymbol { IsIndexer: false, GetMethod: not null } property => property.Type,
                    IFieldSymbol field => field.Type,
                    _ => null,
                };
                if (memberType is null)
                {
                    continue;
                }

                var name = HasAttribute(member, JsonPropertyNameAttribute, out var rename) && rename!.ConstructorArguments is [{ Value: string jsonName }]
                    ? jsonName
                    : member.Name;

                // An override appears on the derived and the base type; the most derived one wins.
                if (seen.Add(member.Name))
                {
                    yield return (name, memberType);
                }
            }
        }
    }

    private static INamedTypeSymbol? FindDictionary(INamedTypeSymbol type)
    {
        foreach (var candidate in new[] { type }.Concat(type.AllInterfaces))
        {
            if (SymbolNames.Is(candidate, "System.Collections.Generic.IDictionary`2") || SymbolNames.Is(candidate, "System.Collections.Generic.IReadOnlyDictionary`2"))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The element type when <paramref name="type"/> is (or implements) exactly one <c>IEnumerable&lt;T&gt;</c>, string excepted.</summary>
    public static ITypeSymbol? FindEnumerable(ITypeSymbol type)
    {
        if (type.SpecialType == SpecialType.System_String)
        {
            return null;
        }

        if (type is IArrayTypeSymbol array)
        {
            return array.ElementType;
        }

        ITypeSymbol? found = null;
        var candidates = type is INamedTypeSymbol named ? new[] { named }.Concat(type.AllInterfaces) : type.AllInterfaces;
        foreach (var candidate in candidates)
        {
            if (candidate.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T)
            {
                if (found is not null && !SymbolEqualityComparer.Default.Equals(found, candidate.TypeArguments[0]))
                {
                    return null;
                }

                found = candidate.TypeArguments[0];
            }
        }

        return found;
    }

    private static bool HasAttribute(ISymbol symbol, string metadataName, out AttributeData? attribute)
    {
        attribute = SymbolNames.FindAttribute(symbol, metadataName);
        return attribute is not null;
    }

    private static bool IsImmutableLeaf(INamedTypeSymbol type)
    {
        foreach (var name in ImmutableLeafTypes)
        {
            if (SymbolNames.Is(type, name))
            {
                return true;
            }
        }

        return false;
    }

    private static string Describe(ITypeSymbol type) =>
        type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
}
