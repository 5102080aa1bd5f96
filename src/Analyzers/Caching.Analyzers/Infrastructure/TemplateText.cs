using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Caching.Analyzers.Infrastructure;

/// <summary>Maps template text to the source text of the literal it was written in.</summary>
internal static class TemplateText
{
    /// <summary>
    /// Finds where the value of <paramref name="token"/> starts in the source when the source spells the value
    /// character for character (no escape sequences, no doubled quotes), so template offsets are source offsets.
    /// </summary>
    public static bool TryGetContentStart(SyntaxToken token, string value, out int contentStart)
    {
        contentStart = 0;
        var text = token.Text;
        int prefix;
        if (token.IsKind(SyntaxKind.StringLiteralToken))
        {
            prefix = text.StartsWith("@\"", System.StringComparison.Ordinal) ? 2
                : text.StartsWith("\"", System.StringComparison.Ordinal) ? 1
                : -1;
        }
        else if (token.IsKind(SyntaxKind.SingleLineRawStringLiteralToken))
        {
            prefix = 0;
            while (prefix < text.Length && text[prefix] == '"')
            {
                prefix++;
            }
        }
        else
        {
            return false;
        }

        if (prefix <= 0 || text.Length < prefix + value.Length || string.CompareOrdinal(text, prefix, value, 0, value.Length) != 0)
        {
            return false;
        }

        // An unterminated literal while typing still maps; a terminated one must end right after the value,
        // or else the value was spelled with escapes that happen to share a prefix.
        var rest = text.Length - prefix - value.Length;
        if (rest > 0 && text[prefix + value.Length] != '"')
        {
            return false;
        }

        contentStart = token.SpanStart + prefix;
        return true;
    }

    /// <summary>The template as it should read in a message: control characters and line breaks become escapes.</summary>
    public static string Display(string text)
    {
        var needsEscape = false;
        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                needsEscape = true;
                break;
            }
        }

        if (!needsEscape)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                builder.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
