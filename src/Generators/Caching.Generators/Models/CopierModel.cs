using Caching.Generators.Helpers;

namespace Caching.Generators.Models;

/// <summary>The member-wise deep copy of a cached result type: the function that copies the root, and every function it calls.</summary>
/// <param name="Root">The name of the function that copies the cached value.</param>
/// <param name="Functions">Each mutable type of the value's graph, callees before callers.</param>
internal sealed record CopierModel(string Root, EquatableArray<CopyFunctionModel> Functions);

/// <summary>One copy function: <c>private static Type? Name(Type? source)</c> with <see cref="Body"/>.</summary>
/// <param name="Name">A name derived from the type, equal for equal types in every method of a decorator.</param>
/// <param name="Type">The copied type, fully qualified, without a nullable annotation.</param>
/// <param name="Body">The statements; null is returned for null.</param>
internal sealed record CopyFunctionModel(string Name, string Type, EquatableArray<string> Body);
