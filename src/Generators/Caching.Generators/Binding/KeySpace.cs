using Microsoft.CodeAnalysis;

namespace Caching.Binding;

/// <summary>
/// The key namespace a template of a method lives in. The generator writes every key, pattern and tag of a generic
/// interface (or of one nested in a generic type) behind the escaped type arguments of the closed decorator, so such a
/// template reaches only templates with the same kind of prefix; a non-generic interface's templates are written as is.
/// </summary>
internal enum KeySpace
{
    /// <summary>The template text is the key text.</summary>
    Plain,

    /// <summary>The key text is the type arguments, ':' and the template text.</summary>
    TypeArgumentPrefixed,
}

/// <summary>Which <see cref="KeySpace"/> a method's templates use.</summary>
internal static class KeySpaces
{
    public static KeySpace Of(INamedTypeSymbol? containingType) =>
        PrefixSegments(containingType) > 0 ? KeySpace.TypeArgumentPrefixed : KeySpace.Plain;

    /// <summary>
    /// How many segments the decorator of <paramref name="decoratedType"/> writes before every template: one escaped
    /// type argument and ':' per type parameter of the type and of the types that contain it.
    /// </summary>
    public static int PrefixSegments(INamedTypeSymbol? decoratedType)
    {
        var count = 0;
        for (var type = decoratedType; type is not null; type = type.ContainingType)
        {
            count += type.TypeParameters.Length;
        }

        return count;
    }
}
