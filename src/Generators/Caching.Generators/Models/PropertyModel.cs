using Caching.Generators.Helpers;

namespace Caching.Generators.Models;

/// <summary>A property or indexer, passed straight through.</summary>
/// <param name="Name">The property name, or <c>this</c> for an indexer.</param>
/// <param name="Attributes">Nullable-analysis attributes of the property.</param>
internal sealed record PropertyModel(
    string Name,
    string DeclaringInterface,
    string Type,
    string RefPrefix,
    EquatableArray<ParameterModel> IndexerParameters,
    bool HasGetter,
    SetterKind Setter,
    string Attributes);
