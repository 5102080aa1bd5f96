using System.Collections.Generic;
using Caching.Binding;
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
            var member = MemberPaths.FindReadable(type, SymbolNames.Identifier(names[i]), compilation);
            if (member is null)
            {
                return new HoleResolution(parameter, null, i, type);
            }

            type = MemberPaths.TypeOf(member);
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
    public static IEnumerable<string> MemberNames(ITypeSymbol type, Compilation compilation) =>
        MemberPaths.ReadableNames(type, compilation);
}
