using System.Collections.Generic;
using System.Text;
using Caching.Templates;

namespace Caching.Analyzers.Infrastructure;

/// <summary>A ':'-separated segment of a template made of literal text only, such as <c>user</c> in <c>user:{id}</c>.</summary>
internal readonly struct LiteralSegment
{
    public LiteralSegment(int index, int start, string text)
    {
        Index = index;
        Start = start;
        Text = text;
        Folded = text.ToUpperInvariant();
    }

    /// <summary>The segment's position in the template, from 0.</summary>
    public int Index { get; }

    /// <summary>Offset of the segment in the template text.</summary>
    public int Start { get; }

    public string Text { get; }

    /// <summary>The text ignoring case, for comparing spellings.</summary>
    public string Folded { get; }

    // Per template object, as SegmentIndex splits: the templates of trees an edit did not touch are the same objects.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<KeyTemplate, List<LiteralSegment>> Known = new();

    /// <summary>The segments of <paramref name="template"/> that contain no hole and no wildcard.</summary>
    public static IReadOnlyList<LiteralSegment> Of(KeyTemplate template) => Known.GetValue(template, static t => Read(t));

    private static List<LiteralSegment> Read(KeyTemplate template)
    {
        var segments = new List<LiteralSegment>();
        var index = 0;
        var start = 0;
        var text = new StringBuilder();
        var literalOnly = true;
        foreach (var part in template.Parts)
        {
            if (part.Kind != TemplatePartKind.Literal)
            {
                literalOnly = false;
                continue;
            }

            for (var i = 0; i < part.Text.Length; i++)
            {
                var c = part.Text[i];
                if (c == ':')
                {
                    Close(segments, index, start, text, literalOnly);
                    index++;
                    start = part.Start + i + 1;
                    text.Clear();
                    literalOnly = true;
                }
                else
                {
                    if (text.Length == 0 && literalOnly)
                    {
                        start = part.Start + i;
                    }

                    text.Append(c);
                }
            }
        }

        Close(segments, index, start, text, literalOnly);
        return segments;
    }

    private static void Close(List<LiteralSegment> segments, int index, int start, StringBuilder text, bool literalOnly)
    {
        if (literalOnly && text.Length > 0)
        {
            segments.Add(new LiteralSegment(index, start, text.ToString()));
        }
    }
}
