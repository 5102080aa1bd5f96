using System.Collections.Generic;
using Caching.Templates;
using Microsoft.CodeAnalysis;

namespace Caching.Analyzers.Infrastructure;

/// <summary>What a hole such as <c>{filter.Region}</c> refers to: a parameter, then readable members of its type.</summary>
internal readonly struct HoleResolution
{
    private HoleResolution(IParameterSymbol? parameter, ITypeSymbol? type, int failedIndex, ITypeSymbol? failedOn)
    {
        Parameter = parameter;
        Type = type;
        FailedIndex = failedIndex;
        FailedOn = failedOn;
    }

    /// <summary>The parameter the hole starts from; null when the first identifier names none.</summary>
    public IParameterSymbol? Parameter { get; }

    /// <summary>The type of the value the hole formats; null when the path does not resolve.</summary>
    public ITypeSymbol? Type { get; }

    /// <summary>Index (in the hole's identifiers) of the first one that names nothing, or -1.</summary>
    public int FailedIndex { get; }

    /// <summary>The type on which the member at <see cref="FailedIndex"/> was looked for (null for the parameter).</summary>
    public ITypeSymbol? FailedOn { get; }

    public bool IsResolved => FailedIndex < 0;

    public static HoleResolution Resolve(IMethodSymbol method, TemplatePart hole, Compilation compilation)
    {
        var names = hole.Text.Split('.');
        var parameter = FindParameter(method, SymbolNames.Identifier(names[0]));
        if (parameter is null)
        {
            return new HoleResolution(null, null, 0, null);
        }

        var type = parameter.Type;
        for (var i = 1; i < names.Length; i++)
        {
            var member = FindMember(type, SymbolNames.Identifier(names[i]), compilation);
            if (member is null)
            {
                return new HoleResolution(parameter, null, i, type);
            }

            type = member;
        }

        return new HoleResolution(parameter, type, -1, null);
    }

    public static IParameterSymbol? FindParameter(IMethodSymbol method, string name)
    {
        foreach (var parameter in method.Parameters)
        {
            if (parameter.Name == name)
            {
                return parameter;
            }
        }

        return null;
    }

    /// <summary>The names of readable instance members a hole may use on <paramref name="type"/>.</summary>
    public static IEnumerable<string> MemberNames(ITypeSymbol type, Compilation compilation)
    {
        var seen = new HashSet<string>();
        foreach (var candidate in TypeAndBases(type))
        {
            foreach (var member in candidate.GetMembers())
            {
                if (IsReadableValue(member, compilation) && seen.Add(member.Name))
                {
                    yield return member.Name;
                }
            }
        }
    }

    private static ITypeSymbol? FindMember(ITypeSymbol type, string name, Compilation compilation)
    {
        foreach (var candidate in TypeAndBases(type))
        {
            foreach (var member in candidate.GetMembers(name))
            {
                if (IsReadableValue(member, compilation))
                {
                    return member switch
                    {
                        IPropertySymbol property => property.Type,
                        IFieldSymbol field => field.Type,
                        _ => null,
                    };
                }
            }
        }

        return null;
    }

    private static bool IsReadableValue(ISymbol member, Compilation compilation)
    {
        if (member.IsStatic || member.IsImplicitlyDeclared || !compilation.IsSymbolAccessibleWithin(member, compilation.Assembly))
        {
            return false;
        }

        return member switch
        {
            IPropertySymbol property => !property.IsIndexer && property.GetMethod is not null && !property.IsWriteOnly,
            IFieldSymbol field => field.AssociatedSymbol is null,
            _ => false,
        };
    }

    private static IEnumerable<ITypeSymbol> TypeAndBases(ITypeSymbol type)
    {
        if (type is ITypeParameterSymbol typeParameter)
        {
            foreach (var constraint in typeParameter.ConstraintTypes)
            {
                foreach (var candidate in TypeAndBases(constraint))
                {
                    yield return candidate;
                }
            }

            yield break;
        }

        // {page.Number} on a Page? parameter reads the underlying value (the generated code null-checks it).
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            foreach (var candidate in TypeAndBases(nullable.TypeArguments[0]))
            {
                yield return candidate;
            }
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            yield return current;
        }

        if (type.TypeKind == TypeKind.Interface)
        {
            foreach (var inherited in type.AllInterfaces)
            {
                yield return inherited;
            }
        }
    }
}
