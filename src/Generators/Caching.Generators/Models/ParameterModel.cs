namespace Caching.Generators.Models;

/// <summary>A parameter of an implemented member.</summary>
/// <param name="Name">The identifier, escaped with <c>@</c> when it is a keyword.</param>
/// <param name="Type">The fully qualified type, with nullable annotations.</param>
/// <param name="DeclarationPrefix">Attributes and modifiers written before the type (<c>[NotNullWhen(true)] out </c>).</param>
/// <param name="ArgumentPrefix"><c>ref </c>, <c>out </c>, <c>in </c> or empty, for the forwarding call.</param>
internal sealed record ParameterModel(string Name, string Type, string DeclarationPrefix, string ArgumentPrefix, bool IsCancellationToken);
