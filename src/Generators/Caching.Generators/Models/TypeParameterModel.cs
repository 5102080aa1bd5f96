namespace Caching.Generators.Models;

/// <summary>A type parameter of the interface or of a generic method.</summary>
/// <param name="Constraints">The full constraint list (<c>class, global::System.IComparable&lt;T&gt;, new()</c>) or null.</param>
/// <param name="ExplicitImplementationConstraint">
/// What an explicit implementation may restate so that <c>T?</c> keeps its meaning: <c>class</c> when T is known to be a
/// reference type (a class constraint or a base class), <c>struct</c> when known to be a value type, else <c>default</c>.
/// </param>
internal sealed record TypeParameterModel(string Name, string? Constraints, string ExplicitImplementationConstraint);
