using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Caching.Binding;

/// <summary>
/// Which member a name after the first dot of a hole such as <c>{item.Id}</c> reads. The generator emits the read and
/// the analyzers judge the template with the same answer, so an attribute one plugin accepts the other does not reject.
/// </summary>
internal static class MemberPaths
{
    /// <summary>The readable, accessible instance property or field <paramref name="name"/> of <paramref name="type"/>, or null.</summary>
    public static ISymbol? FindReadable(ITypeSymbol type, string name, Compilation compilation)
    {
        foreach (var candidate in Searched(type))
        {
            foreach (var member in candidate.GetMembers(name))
            {
                if (IsReadable(member, compilation))
                {
                    return member;
                }
            }
        }

        return null;
    }

    /// <summary>The names a hole may use on <paramref name="type"/>, first declaration first.</summary>
    public static IEnumerable<string> ReadableNames(ITypeSymbol type, Compilation compilation)
    {
        var seen = new HashSet<string>();
        foreach (var candidate in Searched(type))
        {
            foreach (var member in candidate.GetMembers())
            {
                if (IsReadable(member, compilation) && seen.Add(member.Name))
                {
                    yield return member.Name;
                }
            }
        }
    }

    /// <summary>The type a member returned by <see cref="FindReadable"/> reads.</summary>
    public static ITypeSymbol TypeOf(ISymbol member) =>
        member is IPropertySymbol property ? property.Type : ((IFieldSymbol)member).Type;

    private static bool IsReadable(ISymbol member, Compilation compilation)
    {
        // Implicit members are backing fields and compiler plumbing: a key written against them breaks on a rename
        // the user never sees.
        if (member.IsStatic || member.IsImplicitlyDeclared)
        {
            return false;
        }

        // The getter, not the property, decides: a public property with a private getter cannot be read by the decorator.
        return member switch
        {
            IPropertySymbol { IsIndexer: false, GetMethod: { } getter } => compilation.IsSymbolAccessibleWithin(getter, compilation.Assembly),
            IFieldSymbol { AssociatedSymbol: null } field => compilation.IsSymbolAccessibleWithin(field, compilation.Assembly),
            _ => false,
        };
    }

    private static IEnumerable<ITypeSymbol> Searched(ITypeSymbol type)
    {
        // A type parameter has no members of its own: C# lets the decorator read what its constraints declare.
        if (type is ITypeParameterSymbol typeParameter)
        {
            foreach (var constraint in typeParameter.ConstraintTypes)
            {
                foreach (var candidate in Searched(constraint))
                {
                    yield return candidate;
                }
            }

            yield break;
        }

        // {page.Number} on a Page? parameter reads the underlying value (the generated code null-checks it); the
        // Nullable<T> members (Value, HasValue) follow.
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            foreach (var candidate in Searched(nullable.TypeArguments[0]))
            {
                yield return candidate;
            }
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            yield return current;
        }

        // An interface's BaseType is null; what it inherits is only reachable through AllInterfaces.
        if (type.TypeKind == TypeKind.Interface)
        {
            foreach (var inherited in type.AllInterfaces)
            {
                yield return inherited;
            }
        }
    }
}
