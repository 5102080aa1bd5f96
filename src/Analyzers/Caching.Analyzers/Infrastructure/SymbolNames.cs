using Microsoft.CodeAnalysis;

namespace Caching.Analyzers.Infrastructure;

/// <summary>How symbols are named in messages.</summary>
internal static class SymbolNames
{
    private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.MinimallyQualifiedFormat
        .WithMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.UseSpecialTypes | SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>"IUserService.GetProfileAsync".</summary>
    public static string Method(IMethodSymbol method) =>
        method.ContainingType is null ? method.Name : method.ContainingType.Name + "." + method.Name;

    /// <summary>"List&lt;string&gt;", "UserProfile?".</summary>
    public static string Type(ITypeSymbol type) => type.ToDisplayString(TypeFormat);

    /// <summary>
    /// A type's original definition as a key that is the same in every compilation ("N.IRepo`1", "N.Outer+IInner"):
    /// the index matches types read in an earlier compilation with types of this one by it.
    /// </summary>
    public static string TypeKey(INamedTypeSymbol type)
    {
        var definition = type.OriginalDefinition;
        var text = new System.Text.StringBuilder(definition.MetadataName);
        for (var outer = definition.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            text.Insert(0, outer.MetadataName + "+");
        }

        for (var ns = (definition.ContainingType ?? definition).ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
        {
            text.Insert(0, ns.Name + ".");
        }

        return text.ToString();
    }

    /// <summary>A hole's member path without the verbatim '@' of keyword identifiers.</summary>
    public static string Identifier(string name) => name.Length > 0 && name[0] == '@' ? name.Substring(1) : name;
}
