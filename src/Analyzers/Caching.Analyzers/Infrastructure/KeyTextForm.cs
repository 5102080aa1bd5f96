using Microsoft.CodeAnalysis;

namespace Caching.Analyzers.Infrastructure;

/// <summary>Decides whether values of a type have a stable, culture-invariant text form the key builder can use.</summary>
internal static class KeyTextForm
{
    private const int MaxDepth = 4;

    /// <summary>
    /// True for strings, booleans, chars, numbers, enums, Guid, dates and times, IFormattable/ISpanFormattable
    /// types, types that override ToString, Nullable&lt;T&gt; of those and arrays or IEnumerable&lt;T&gt; of those.
    /// Types the analyzer cannot see through (errors, unconstrained type parameters, dynamic) count as stable.
    /// </summary>
    public static bool IsStable(ITypeSymbol type, CachingSymbols symbols) => IsStable(type, symbols, 0);

    private static bool IsStable(ITypeSymbol type, CachingSymbols symbols, int depth)
    {
        if (depth > MaxDepth)
        {
            return true;
        }

        switch (type.TypeKind)
        {
            case TypeKind.Error:
            case TypeKind.Dynamic:
            case TypeKind.Enum:
                return true;
            case TypeKind.TypeParameter:
                return IsStableTypeParameter((ITypeParameterSymbol)type, symbols, depth);
            case TypeKind.Array:
                return IsStable(((IArrayTypeSymbol)type).ElementType, symbols, depth + 1);
            case TypeKind.Pointer:
            case TypeKind.FunctionPointer:
            case TypeKind.Delegate:
                return false;
        }

        switch (type.SpecialType)
        {
            case SpecialType.System_String:
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
            case SpecialType.System_IntPtr:
            case SpecialType.System_UIntPtr:
            case SpecialType.System_Single:
            case SpecialType.System_Double:
            case SpecialType.System_Decimal:
            case SpecialType.System_DateTime:
                return true;
            case SpecialType.System_Object:
            case SpecialType.System_ValueType:
            case SpecialType.System_Enum:
                return false;
        }

        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            return IsStable(nullable.TypeArguments[0], symbols, depth + 1);
        }

        if (IsOneOf(type, symbols.Guid, symbols.DateTimeOffset, symbols.DateOnly, symbols.TimeOnly, symbols.TimeSpan)
            || Implements(type, symbols.Formattable)
            || Implements(type, symbols.SpanFormattable)
            || OverridesToString(type))
        {
            return true;
        }

        var element = EnumerableElement(type, symbols);
        return element is not null && IsStable(element, symbols, depth + 1);
    }

    private static bool IsStableTypeParameter(ITypeParameterSymbol typeParameter, CachingSymbols symbols, int depth)
    {
        // Without constraints the analyzer cannot know the argument; with some, any stable constraint is enough.
        if (typeParameter.ConstraintTypes.IsEmpty)
        {
            return true;
        }

        foreach (var constraint in typeParameter.ConstraintTypes)
        {
            if (constraint.SpecialType != SpecialType.System_Object && IsStable(constraint, symbols, depth + 1))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsOneOf(ITypeSymbol type, params INamedTypeSymbol?[] candidates)
    {
        foreach (var candidate in candidates)
        {
            if (candidate is not null && SymbolEqualityComparer.Default.Equals(type, candidate))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Implements(ITypeSymbol type, INamedTypeSymbol? contract)
    {
        if (contract is null)
        {
            return false;
        }

        if (SymbolEqualityComparer.Default.Equals(type, contract))
        {
            return true;
        }

        foreach (var implemented in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(implemented, contract))
            {
                return true;
            }
        }

        return false;
    }

    private static bool OverridesToString(ITypeSymbol type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.SpecialType is SpecialType.System_Object or SpecialType.System_ValueType or SpecialType.System_Enum)
            {
                return false;
            }

            foreach (var member in current.GetMembers("ToString"))
            {
                if (member is IMethodSymbol { IsOverride: true, Parameters.IsEmpty: true, IsStatic: false })
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static ITypeSymbol? EnumerableElement(ITypeSymbol type, CachingSymbols symbols)
    {
        if (type is INamedTypeSymbol named && SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, symbols.EnumerableOfT))
        {
            return named.TypeArguments[0];
        }

        foreach (var implemented in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(implemented.OriginalDefinition, symbols.EnumerableOfT))
            {
                return implemented.TypeArguments[0];
            }
        }

        return null;
    }
}
