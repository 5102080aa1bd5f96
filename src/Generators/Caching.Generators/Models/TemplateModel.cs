using Caching.Generators.Helpers;

namespace Caching.Generators.Models;

/// <summary>A bound key template, pattern or tag: its parts and the parameters its holes read.</summary>
/// <param name="Text">The template as the user wrote it (shown in a comment).</param>
/// <param name="Parameters">Names of the method parameters the holes read, in declaration order.</param>
/// <param name="HasWildcard">True for a pattern with <c>*</c> or <c>?</c> (invalidated by pattern, not removed by key).</param>
internal sealed record TemplateModel(string Text, EquatableArray<KeyPartModel> Parts, EquatableArray<string> Parameters, bool HasWildcard)
{
    /// <summary>True when the key is the same for every call: it can be a constant string.</summary>
    public bool IsConstant
    {
        get
        {
            foreach (var part in Parts)
            {
                if (part.Kind != KeyPartKind.Literal)
                {
                    return false;
                }
            }

            return true;
        }
    }

    public string ConstantText
    {
        get
        {
            var text = new System.Text.StringBuilder();
            foreach (var part in Parts)
            {
                text.Append(part.Text);
            }

            return text.ToString();
        }
    }
}
