using System.Collections.Generic;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Caching.Analyzers.CodeFixes.Infrastructure;

/// <summary>Finds and rewrites the string literal a template was written in.</summary>
internal static class TemplateLiterals
{
    /// <summary>The string literal at <paramref name="location"/> (or enclosing it) whose value is <paramref name="template"/>.</summary>
    public static LiteralExpressionSyntax? Find(SyntaxNode root, Location location, string template)
    {
        if (!location.IsInSource || !root.FullSpan.Contains(location.SourceSpan))
        {
            return null;
        }

        var node = root.FindNode(location.SourceSpan, getInnermostNodeForTie: true);
        var literal = node.FirstAncestorOrSelf<LiteralExpressionSyntax>();
        return literal is not null
            && literal.IsKind(SyntaxKind.StringLiteralExpression)
            && literal.Token.ValueText == template
            ? literal
            : null;
    }

    /// <summary>
    /// Applies edits given in template offsets (ascending; several inserts at one offset keep their order; an edit
    /// overlapping an earlier one is dropped) and returns a literal of the same style with the new value.
    /// </summary>
    public static LiteralExpressionSyntax Rewrite(LiteralExpressionSyntax literal, IEnumerable<TextEdit> edits)
    {
        var value = literal.Token.ValueText;
        var ordered = new List<TextEdit>(edits);
        ordered.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.Order.CompareTo(b.Order));
        var builder = new StringBuilder(value.Length + 16);
        var cursor = 0;
        foreach (var edit in ordered)
        {
            if (edit.Start < cursor || edit.Start + edit.Length > value.Length)
            {
                continue;
            }

            builder.Append(value, cursor, edit.Start - cursor).Append(edit.Replacement);
            cursor = edit.Start + edit.Length;
        }

        builder.Append(value, cursor, value.Length - cursor);
        return WithValue(literal, builder.ToString());
    }

    private static LiteralExpressionSyntax WithValue(LiteralExpressionSyntax literal, string value)
    {
        var old = literal.Token;
        var token = old.Text.StartsWith("@\"", System.StringComparison.Ordinal)
            ? SyntaxFactory.Literal("@\"" + value.Replace("\"", "\"\"") + "\"", value)
            : SyntaxFactory.Literal(value);
        return literal.WithToken(token.WithTriviaFrom(old));
    }
}

/// <summary>Replace template characters [Start, Start + Length) with Replacement; Order breaks ties between inserts.</summary>
internal readonly struct TextEdit
{
    public TextEdit(int start, int length, string replacement, int order = 0)
    {
        Start = start;
        Length = length;
        Replacement = replacement;
        Order = order;
    }

    public int Start { get; }

    public int Length { get; }

    public string Replacement { get; }

    public int Order { get; }
}
