using System.Collections.Immutable;
using System.Globalization;

namespace Caching.Analyzers.Infrastructure;

/// <summary>
/// The diagnostic properties that tell a code fix how to rewrite a template: replace template characters
/// [Start, Start + Length) with Replacement. Offsets are in the template's value, not in source text, so the
/// fix works for escaped and verbatim literals alike.
/// </summary>
internal static class TemplateEdit
{
    public const string StartKey = "TemplateStart";
    public const string LengthKey = "TemplateLength";
    public const string ReplacementKey = "Replacement";
    public const string TemplateKey = "Template";

    public static ImmutableDictionary<string, string?> Properties(string template, int start, int length, string replacement) =>
        ImmutableDictionary<string, string?>.Empty
            .Add(TemplateKey, template)
            .Add(StartKey, start.ToString(CultureInfo.InvariantCulture))
            .Add(LengthKey, length.ToString(CultureInfo.InvariantCulture))
            .Add(ReplacementKey, replacement);

    public static bool TryRead(ImmutableDictionary<string, string?> properties, out string template, out int start, out int length, out string replacement)
    {
        template = string.Empty;
        start = 0;
        length = 0;
        replacement = string.Empty;
        if (!properties.TryGetValue(StartKey, out var startText)
            || !properties.TryGetValue(LengthKey, out var lengthText)
            || !properties.TryGetValue(ReplacementKey, out var replacementText)
            || replacementText is null
            || !properties.TryGetValue(TemplateKey, out var templateText)
            || templateText is null
            || !int.TryParse(startText, NumberStyles.None, CultureInfo.InvariantCulture, out start)
            || !int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out length))
        {
            return false;
        }

        replacement = replacementText;
        template = templateText;
        return start + length <= template.Length;
    }
}
