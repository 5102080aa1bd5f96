using Caching.Templates;

namespace Caching.Analyzers.Infrastructure;

/// <summary>
/// <see cref="TemplateOverlap.CanOverlap"/> behind a constant-time test of the literal text both templates start and
/// end with: most pairs of a large service layer differ in their first segment, and the full check allocates.
/// </summary>
internal static class Overlap
{
    public static bool CanOverlap(KeyTemplate first, KeyTemplate second) =>
        AgreeAtStart(first, second)
        && AgreeAtEnd(first, second)
        && TemplateOverlap.CanOverlap(first, second);

    private static bool AgreeAtStart(KeyTemplate first, KeyTemplate second)
    {
        var a = LeadingLiteral(first);
        var b = LeadingLiteral(second);
        var length = a.Length < b.Length ? a.Length : b.Length;
        return string.CompareOrdinal(a, 0, b, 0, length) == 0;
    }

    private static bool AgreeAtEnd(KeyTemplate first, KeyTemplate second)
    {
        var a = TrailingLiteral(first);
        var b = TrailingLiteral(second);
        var length = a.Length < b.Length ? a.Length : b.Length;
        return string.CompareOrdinal(a, a.Length - length, b, b.Length - length, length) == 0;
    }

    /// <summary>The literal text a template starts with (it may span segments), or empty when it starts with a hole or a wildcard.</summary>
    public static string LeadingLiteral(KeyTemplate template) =>
        template.Parts.Count > 0 && template.Parts[0].Kind == TemplatePartKind.Literal ? template.Parts[0].Text : string.Empty;

    private static string TrailingLiteral(KeyTemplate template) =>
        template.Parts.Count > 0 && template.Parts[template.Parts.Count - 1].Kind == TemplatePartKind.Literal
            ? template.Parts[template.Parts.Count - 1].Text
            : string.Empty;
}
