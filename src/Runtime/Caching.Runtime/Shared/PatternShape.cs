// Which invalidation patterns the runtime can index, decided once for the runtime, the generator (which registers
// only what the runtime accepts, so a generated registration can never stop an application) and the analyzers.
// Linked as source like KeyTemplate.cs: netstandard2.0 APIs only, no Roslyn type.

namespace Caching.Templates;

/// <summary>How an invalidation pattern is applied.</summary>
internal enum PatternShapeKind
{
    /// <summary>Not a valid pattern, or one that cannot be indexed: a run-time invalidation of it SCANs Redis.</summary>
    NotIndexable,

    /// <summary>Every instance is <c>X*</c> with X ending in ':': a key-prefix scope covers it, no index needed.</summary>
    SegmentPrefix,

    /// <summary>Registered as a shape, each instance is one scope (see the runtime's <c>PatternIndex</c>).</summary>
    Indexed,
}

/// <summary>Classifies a pattern template for indexing.</summary>
internal static class PatternShape
{
    /// <summary>
    /// A pattern can be indexed when it is valid, has at least one '*', no '?' (Redis matches it against one UTF-8
    /// byte, an index walks characters), and a literal between any two of its holes and wildcards (else a key could
    /// match countless instances).
    /// </summary>
    public static PatternShapeKind Classify(KeyTemplate pattern, out string reason)
    {
        if (!pattern.IsValid)
        {
            reason = pattern.Errors[0].Message;
            return PatternShapeKind.NotIndexable;
        }

        var parts = pattern.Parts;
        var stars = 0;
        for (var i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            if (part.Kind == TemplatePartKind.Wildcard)
            {
                if (part.Text == "?")
                {
                    reason = "'?' cannot be indexed (use '*')";
                    return PatternShapeKind.NotIndexable;
                }

                stars++;
            }

            if (i > 0 && part.Kind != TemplatePartKind.Literal && parts[i - 1].Kind != TemplatePartKind.Literal)
            {
                reason = "two wildcards, or a hole and a wildcard, have no literal between them";
                return PatternShapeKind.NotIndexable;
            }
        }

        if (stars == 0)
        {
            reason = "it has no '*' (a key template is removed by key, not by pattern)";
            return PatternShapeKind.NotIndexable;
        }

        reason = string.Empty;
        var count = parts.Count;
        var isPrefix = stars == 1
            && count > 1
            && parts[count - 1].Kind == TemplatePartKind.Wildcard
            && parts[count - 2].Kind == TemplatePartKind.Literal
            && parts[count - 2].Text.EndsWith(":", System.StringComparison.Ordinal);
        return isPrefix ? PatternShapeKind.SegmentPrefix : PatternShapeKind.Indexed;
    }
}
