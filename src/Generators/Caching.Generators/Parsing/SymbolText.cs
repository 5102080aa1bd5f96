using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Caching.Generators.Helpers;
using Caching.Generators.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Caching.Generators.Parsing;

/// <summary>How symbols are written into generated code: fully qualified, nullable-annotated, keywords escaped.</summary>
internal static class SymbolText
{
    public static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat.AddMiscellaneousOptions(
        SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private const string CodeAnalysisNamespace = "System.Diagnostics.CodeAnalysis";

    public static string Type(ITypeSymbol type) => type.ToDisplayString(TypeFormat);

    public static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    /// <summary>The open generic form for <c>typeof</c>: <c>global::N.Outer&lt;&gt;.IInner&lt;,&gt;</c>.</summary>
    public static string Unbound(INamedTypeSymbol type)
    {
        var prefix = type.ContainingType is { } outer
            ? Unbound(outer) + "."
            : type.ContainingNamespace is { IsGlobalNamespace: false } ns ? "global::" + ns.ToDisplayString() + "." : "global::";
        var arity = type.TypeParameters.Length == 0 ? string.Empty : "<" + new string(',', type.TypeParameters.Length - 1) + ">";
        return prefix + Identifier(type.Name) + arity;
    }

    public static EquatableArray<TypeParameterModel> TypeParameters(IEnumerable<ITypeParameterSymbol> parameters) =>
        parameters.Select(TypeParameter).ToEquatableArray();

    private static TypeParameterModel TypeParameter(ITypeParameterSymbol parameter)
    {
        var constraints = new List<string>();
        if (parameter.HasReferenceTypeConstraint)
        {
            constraints.Add(parameter.ReferenceTypeConstraintNullableAnnotation == NullableAnnotation.Annotated ? "class?" : "class");
        }
        else if (parameter.HasUnmanagedTypeConstraint)
        {
            constraints.Add("unmanaged");
        }
        else if (parameter.HasValueTypeConstraint)
        {
            constraints.Add("struct");
        }
        else if (parameter.HasNotNullConstraint)
        {
            constraints.Add("notnull");
        }

        for (var i = 0; i < parameter.ConstraintTypes.Length; i++)
        {
            var constraint = parameter.ConstraintTypes[i];
            if (parameter.HasUnmanagedTypeConstraint && constraint.SpecialType == SpecialType.System_ValueType)
            {
                continue;
            }

            constraints.Add(Type(constraint));
        }

        if (parameter.HasConstructorConstraint && !parameter.HasValueTypeConstraint)
        {
            constraints.Add("new()");
        }

        // An explicit implementation inherits the constraints and may restate only which kind of type T is, so that
        // T? keeps the interface's meaning. IsReferenceType/IsValueType follow base classes, unmanaged and other type
        // parameters, not only the keywords: `default` is an error (CS8822) once the kind is known.
        var explicitConstraint = parameter.IsReferenceType ? "class" : parameter.IsValueType ? "struct" : "default";
        return new TypeParameterModel(
            Identifier(parameter.Name),
            constraints.Count == 0 ? null : string.Join(", ", constraints),
            explicitConstraint);
    }

    /// <summary>
    /// The nullable-analysis attributes of a parameter, return value or property (<c>[NotNullWhen(true)]</c>...),
    /// which an implementation must repeat or the compiler warns that it is weaker than the interface.
    /// </summary>
    public static string NullableAttributes(ImmutableArray<AttributeData> attributes, string target = "")
    {
        var text = new StringBuilder();
        foreach (var attribute in attributes)
        {
            if (attribute.AttributeClass is not { } type || !SymbolNames.IsIn(type, CodeAnalysisNamespace))
            {
                continue;
            }

            text.Append('[').Append(target).Append(Type(type));
            if (attribute.ConstructorArguments.Length > 0)
            {
                text.Append('(').Append(string.Join(", ", attribute.ConstructorArguments.Select(Constant))).Append(')');
            }

            text.Append("] ");
        }

        return text.ToString();
    }

    private static string Constant(TypedConstant constant) => constant.Kind == TypedConstantKind.Array
        ? "new[] { " + string.Join(", ", constant.Values.Select(Constant)) + " }"
        : constant.ToCSharpString();

    public static EquatableArray<ParameterModel> Parameters(ImmutableArray<IParameterSymbol> parameters, INamedTypeSymbol? cancellationToken, TypeFacts facts)
    {
        var models = new List<ParameterModel>(parameters.Length);
        foreach (var parameter in parameters)
        {
            var modifier = parameter.RefKind switch
            {
                RefKind.Ref => "ref ",
                RefKind.Out => "out ",
                RefKind.In => "in ",
                (RefKind)4 => "ref readonly ", // RefKind.RefReadOnlyParameter, newer than the Roslyn we build against
                _ => string.Empty,
            };
            var argument = parameter.RefKind switch
            {
                RefKind.Ref => "ref ",
                RefKind.Out => "out ",
                RefKind.In or (RefKind)4 => "in ",
                _ => string.Empty,
            };
            // An out parameter is scoped implicitly; anything else must restate it or the signatures differ.
            var scoped = parameter.ScopedKind != ScopedKind.None && parameter.RefKind != RefKind.Out ? "scoped " : string.Empty;
            models.Add(new ParameterModel(
                Identifier(parameter.Name),
                facts.Text(parameter.Type),
                NullableAttributes(parameter.GetAttributes()) + scoped + modifier,
                argument,
                cancellationToken is not null && SymbolEqualityComparer.Default.Equals(parameter.Type, cancellationToken)));
        }

        return models.ToEquatableArray();
    }
}
