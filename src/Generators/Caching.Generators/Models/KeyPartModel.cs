namespace Caching.Generators.Models;

/// <summary>
/// A piece of a key. For <see cref="KeyPartKind.Literal"/> <see cref="Text"/> is the text; for
/// <see cref="KeyPartKind.Value"/> it is a C# expression over the parameters (null-safe for member paths);
/// for <see cref="KeyPartKind.TypeArgument"/> it is the type parameter's name.
/// </summary>
/// <param name="ElementType">The element type for <see cref="AppendKind.Sequence"/>.</param>
internal sealed record KeyPartModel(KeyPartKind Kind, string Text, AppendKind Append, string? ElementType);
