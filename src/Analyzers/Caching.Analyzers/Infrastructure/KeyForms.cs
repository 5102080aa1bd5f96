using System.Collections.Generic;
using System.Text;
using Caching.Templates;

namespace Caching.Analyzers.Infrastructure;

/// <summary>
/// The templates a written template becomes in Redis. A decorator of a generic interface writes each escaped type
/// argument and ':' before every key, pattern and tag (<see cref="Binding.KeySpaces"/>); a non-generic one writes the
/// text as is. A method declared on a generic interface and inherited by a non-generic one is decorated both ways, so
/// its template has both forms. The overlap rules compare forms, never the written text alone: <c>count</c> on
/// <c>IRepo&lt;T&gt;</c> is the key <c>{T}:count</c> and cannot collide with <c>count</c> on <c>IStats</c>.
/// </summary>
internal static class KeyForms
{
    /// <summary>
    /// The name of the holes that stand for type arguments. The grammar accepts the verbatim '@', which a template
    /// needs only for a keyword-named parameter (<c>{@class}</c>), so a hole the user wrote is not mistaken for one.
    /// </summary>
    public const string TypeArgumentHole = "@typeArgument";

    /// <summary>The forms of <paramref name="template"/> when decorated with each of <paramref name="prefixSegments"/> type-argument segments.</summary>
    public static KeyTemplate[] Of(KeyTemplate template, bool isPattern, IReadOnlyCollection<int> prefixSegments)
    {
        var forms = new KeyTemplate[prefixSegments.Count];
        var i = 0;
        foreach (var segments in prefixSegments)
        {
            forms[i++] = segments == 0 ? template : Prefixed(template, isPattern, segments);
        }

        return forms;
    }

    /// <summary>True when the hole at <paramref name="name"/> is one <see cref="Of"/> put there.</summary>
    public static bool IsTypeArgument(string name) => name == TypeArgumentHole;

    private static KeyTemplate Prefixed(KeyTemplate template, bool isPattern, int segments)
    {
        var text = new StringBuilder();
        for (var i = 0; i < segments; i++)
        {
            text.Append('{').Append(TypeArgumentHole).Append("}:");
        }

        return KeyTemplate.Parse(text.Append(template.Text).ToString(), isPattern);
    }
}
