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

    /// <summary>A hole's member path without the verbatim '@' of keyword identifiers.</summary>
    public static string Identifier(string name) => name.Length > 0 && name[0] == '@' ? name.Substring(1) : name;
}
