using System.Collections.Generic;
using System.Text;
using Microsoft.CodeAnalysis;

namespace Caching.Generators.Parsing;

/// <summary>
/// The decorator's simple name and hint name, unique by construction: two different interfaces of one compilation
/// never get the same decorator type or the same generated file, whatever they are called.
/// </summary>
/// <remarks>
/// The readable form (<c>IWidget</c> gives <c>WidgetCachingDecorator</c>, <c>Outer.IWidget</c> gives
/// <c>Outer_WidgetCachingDecorator</c>) loses information in three places, each of which gets its own mark:
/// the dropped <c>I</c> (an interface without it, such as <c>Widget</c>, ends in <c>_CachingDecorator</c>), the
/// joining <c>_</c> (an underscore of a name is written <c>_0</c>) and a container's type parameters (written as its
/// arity, <c>Outer_1_Widget</c>, since <c>Outer&lt;T&gt;.IWidget</c> and <c>Outer.IWidget&lt;T&gt;</c> have the same
/// total arity). Every <c>_</c> of the result is then either <c>_0</c> (an underscore), <c>_</c> and a non-zero digit
/// (an arity), a separator, or the mark before the suffix, so the name can be read back: different interfaces cannot meet.
/// </remarks>
internal static class DecoratorNames
{
    private const string Suffix = "CachingDecorator";

    /// <summary>The decorator's simple name, without its type parameters.</summary>
    public static string Simple(INamedTypeSymbol type, IReadOnlyList<INamedTypeSymbol> containers)
    {
        var name = new StringBuilder();
        foreach (var container in containers)
        {
            Escape(name, container.Name);
            if (container.Arity > 0)
            {
                name.Append('_').Append(container.Arity);
            }

            name.Append('_');
        }

        var stripped = HasInterfacePrefix(type.Name);
        Escape(name, stripped ? type.Name.Substring(1) : type.Name);
        if (!stripped)
        {
            name.Append('_');
        }

        return name.Append(Suffix).ToString();
    }

    /// <summary>
    /// The file name: namespace, decorator name and total arity. A namespace cannot contain <c>`</c> and a decorator
    /// name cannot contain <c>.</c>, so the parts cannot run into each other.
    /// </summary>
    public static string Hint(string? ns, string decoratorName, int arity) =>
        (ns is null ? string.Empty : ns + ".") + decoratorName + (arity > 0 ? "`" + arity : string.Empty) + ".g.cs";

    private static bool HasInterfacePrefix(string name) =>
        name.Length > 1 && name[0] == 'I' && char.IsUpper(name[1]);

    private static void Escape(StringBuilder builder, string name)
    {
        foreach (var c in name)
        {
            if (c == '_')
            {
                builder.Append("_0");
            }
            else
            {
                builder.Append(c);
            }
        }
    }
}
