using Caching.Generators.Helpers;

namespace Caching.Generators.Models;

/// <summary>An annotated interface and everything needed to write its decorator. Plain data only.</summary>
/// <param name="Namespace">The namespace, or null for the global namespace.</param>
/// <param name="FullyQualifiedName">The interface as written in generated code: <c>global::Shop.IRepository&lt;T&gt;</c>.</param>
/// <param name="UnboundName">The open generic form for <c>typeof</c>: <c>global::Shop.IRepository&lt;&gt;</c> (same as the name when not generic).</param>
/// <param name="DecoratorName">The decorator's simple name, without type parameters.</param>
/// <param name="TypeParameters">Type parameters of the interface and of the types that contain it, outermost first.</param>
/// <param name="IsDecorated">False when the interface cannot be decorated; then only <see cref="Diagnostics"/> matter.</param>
internal sealed record InterfaceModel(
    string? Namespace,
    string FullyQualifiedName,
    string UnboundName,
    string DecoratorName,
    string HintName,
    EquatableArray<TypeParameterModel> TypeParameters,
    EquatableArray<MethodModel> Methods,
    EquatableArray<PropertyModel> Properties,
    EquatableArray<EventModel> Events,
    bool IsDecorated,
    EquatableArray<DiagnosticInfo> Diagnostics)
{
    public bool IsGeneric => !TypeParameters.IsEmpty;

    /// <summary>The decorator with its type parameters: <c>RepositoryCachingDecorator&lt;T&gt;</c>.</summary>
    public string DecoratorDeclarationName => IsGeneric ? DecoratorName + "<" + string.Join(", ", TypeParameterNames()) + ">" : DecoratorName;

    public string FullyQualifiedDecoratorName => (Namespace is null ? "global::" : "global::" + Namespace + ".") + DecoratorDeclarationName;

    public string UnboundDecoratorName => (Namespace is null ? "global::" : "global::" + Namespace + ".") + DecoratorName + (IsGeneric ? "<" + new string(',', TypeParameters.Count - 1) + ">" : string.Empty);

    /// <summary>The service key under which the original open-generic registration is kept.</summary>
    public string InnerServiceKey => "Caching.Inner:" + UnboundName.Replace("global::", string.Empty);

    private System.Collections.Generic.IEnumerable<string> TypeParameterNames()
    {
        foreach (var parameter in TypeParameters)
        {
            yield return parameter.Name;
        }
    }
}
