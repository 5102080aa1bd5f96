// The key-template grammar, written once and compiled into the runtime, the generator and the analyzers
// (linked as source so the netstandard2.0 compiler plugins carry no runtime dependency). Keep it free of
// APIs newer than netstandard2.0 and of any Roslyn type.
//
// Grammar:
//   template := part*
//   part     := literal | hole | wildcard
//   hole     := '{' identifier ('.' identifier)* '}'
//   wildcard := '*' | '?'            (patterns only)
// ':' separates segments; segments may not be empty.

using System;
using System.Collections.Generic;
using System.Text;

namespace Caching.Templates;

/// <summary>The kinds of a template part.</summary>
internal enum TemplatePartKind
{
    Literal,
    Hole,
    Wildcard,
}

/// <summary>One part of a parsed template, with its position in the template text.</summary>
internal readonly struct TemplatePart : IEquatable<TemplatePart>
{
    public TemplatePart(TemplatePartKind kind, string text, int start, int length)
    {
        Kind = kind;
        Text = text;
        Start = start;
        Length = length;
    }

    public TemplatePartKind Kind { get; }

    /// <summary>Literal text, the hole's member path (without braces) or the wildcard character.</summary>
    public string Text { get; }

    public int Start { get; }

    public int Length { get; }

    /// <summary>The first identifier of a hole's member path: the parameter name.</summary>
    public string RootName
    {
        get
        {
            var dot = Text.IndexOf('.');
            return dot < 0 ? Text : Text.Substring(0, dot);
        }
    }

    /// <summary>The identifiers after the parameter name in a hole's member path.</summary>
    public string[] MemberPath
    {
        get
        {
            var names = Text.Split('.');
            if (names.Length <= 1)
            {
                return Array.Empty<string>();
            }

            var members = new string[names.Length - 1];
            Array.Copy(names, 1, members, 0, members.Length);
            return members;
        }
    }

    public bool Equals(TemplatePart other) =>
        Kind == other.Kind && Start == other.Start && Length == other.Length && string.Equals(Text, other.Text, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is TemplatePart other && Equals(other);

    public override int GetHashCode() => (((int)Kind * 397) ^ Start) * 397 ^ StringComparer.Ordinal.GetHashCode(Text);

    public override string ToString() => Kind switch
    {
        TemplatePartKind.Hole => "{" + Text + "}",
        _ => Text,
    };
}

/// <summary>What is wrong with a template.</summary>
internal enum TemplateErrorKind
{
    Empty,
    UnbalancedOpenBrace,
    UnbalancedCloseBrace,
    EmptyHole,
    InvalidHoleName,
    EmptySegment,
    AdjacentHoles,
    WildcardInKey,
    Whitespace,
    ControlCharacter,
    ReservedCharacter,
}

/// <summary>One problem found while parsing a template, with the span it concerns.</summary>
internal readonly struct TemplateError
{
    public TemplateError(TemplateErrorKind kind, int start, int length, string message)
    {
        Kind = kind;
        Start = start;
        Length = length;
        Message = message;
    }

    public TemplateErrorKind Kind { get; }

    public int Start { get; }

    public int Length { get; }

    public string Message { get; }

    public override string ToString() => Message;
}

/// <summary>A parsed <c>[Cached]</c> key template or <c>[InvalidatesCache]</c> pattern.</summary>
internal sealed class KeyTemplate
{
    private KeyTemplate(string text, bool isPattern, TemplatePart[] parts, TemplateError[] errors)
    {
        Text = text;
        IsPattern = isPattern;
        Parts = parts;
        Errors = errors;
    }

    /// <summary>The template as written.</summary>
    public string Text { get; }

    /// <summary>True when parsed as an invalidation pattern (wildcards allowed).</summary>
    public bool IsPattern { get; }

    public IReadOnlyList<TemplatePart> Parts { get; }

    public IReadOnlyList<TemplateError> Errors { get; }

    public bool IsValid => Errors.Count == 0;

    /// <summary>The holes in order of appearance.</summary>
    public IEnumerable<TemplatePart> Holes
    {
        get
        {
            foreach (var part in Parts)
            {
                if (part.Kind == TemplatePartKind.Hole)
                {
                    yield return part;
                }
            }
        }
    }

    /// <summary>True when the template has no holes and no wildcards.</summary>
    public bool IsConstant
    {
        get
        {
            foreach (var part in Parts)
            {
                if (part.Kind != TemplatePartKind.Literal)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>Parses a <c>[Cached]</c> key template: wildcards are an error.</summary>
    public static KeyTemplate ParseKey(string? text) => Parse(text, isPattern: false);

    /// <summary>Parses an <c>[InvalidatesCache]</c> pattern: <c>*</c> and <c>?</c> are wildcards.</summary>
    public static KeyTemplate ParsePattern(string? text) => Parse(text, isPattern: true);

    public static KeyTemplate Parse(string? text, bool isPattern)
    {
        var source = text ?? string.Empty;
        var parts = new List<TemplatePart>();
        var errors = new List<TemplateError>();
        if (source.Length == 0)
        {
            errors.Add(new TemplateError(TemplateErrorKind.Empty, 0, 0, "The template is empty."));
            return new KeyTemplate(source, isPattern, parts.ToArray(), errors.ToArray());
        }

        var literal = new StringBuilder();
        var literalStart = 0;
        var i = 0;
        while (i < source.Length)
        {
            var c = source[i];
            if (c == '{')
            {
                FlushLiteral(parts, literal, literalStart);
                var close = IndexOfCloseBrace(source, i + 1);
                if (close < 0)
                {
                    errors.Add(new TemplateError(TemplateErrorKind.UnbalancedOpenBrace, i, source.Length - i, $"'{{' at position {i} has no matching '}}'."));
                    i = source.Length;
                    literalStart = i;
                    continue;
                }

                var name = source.Substring(i + 1, close - i - 1);
                if (name.Length == 0)
                {
                    errors.Add(new TemplateError(TemplateErrorKind.EmptyHole, i, 2, $"Empty hole '{{}}' at position {i}."));
                }
                else if (!IsMemberPath(name))
                {
                    errors.Add(new TemplateError(TemplateErrorKind.InvalidHoleName, i, close - i + 1, $"'{{{name}}}' is not a parameter name or member path."));
                }
                else
                {
                    if (parts.Count > 0 && parts[parts.Count - 1].Kind == TemplatePartKind.Hole)
                    {
                        var previous = parts[parts.Count - 1];
                        errors.Add(new TemplateError(
                            TemplateErrorKind.AdjacentHoles,
                            previous.Start,
                            close + 1 - previous.Start,
                            $"Holes '{{{previous.Text}}}' and '{{{name}}}' have no literal between them, so different values can produce the same key."));
                    }

                    parts.Add(new TemplatePart(TemplatePartKind.Hole, name, i, close - i + 1));
                }

                i = close + 1;
                literalStart = i;
                continue;
            }

            if (c == '}')
            {
                errors.Add(new TemplateError(TemplateErrorKind.UnbalancedCloseBrace, i, 1, $"'}}' at position {i} has no matching '{{'."));
                FlushLiteral(parts, literal, literalStart);
                i++;
                literalStart = i;
                continue;
            }

            if (c == '*' || c == '?')
            {
                if (!isPattern)
                {
                    errors.Add(new TemplateError(TemplateErrorKind.WildcardInKey, i, 1, $"Wildcard '{c}' at position {i} is not allowed in a cache key; only invalidation patterns may use wildcards."));
                }

                FlushLiteral(parts, literal, literalStart);
                parts.Add(new TemplatePart(TemplatePartKind.Wildcard, c.ToString(), i, 1));
                i++;
                literalStart = i;
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                errors.Add(new TemplateError(TemplateErrorKind.Whitespace, i, 1, $"Whitespace at position {i} is not allowed in a key template."));
            }
            else if (char.IsControl(c))
            {
                errors.Add(new TemplateError(TemplateErrorKind.ControlCharacter, i, 1, $"Control character U+{(int)c:X4} at position {i} is not allowed in a key template."));
            }
            else if (c == '[' || c == ']' || c == '\\')
            {
                errors.Add(new TemplateError(TemplateErrorKind.ReservedCharacter, i, 1, $"'{c}' at position {i} is reserved (a Redis glob character)."));
            }

            if (literal.Length == 0)
            {
                literalStart = i;
            }

            literal.Append(c);
            i++;
        }

        FlushLiteral(parts, literal, literalStart);
        CheckSegments(source, errors);
        return new KeyTemplate(source, isPattern, parts.ToArray(), errors.ToArray());
    }

    private static void CheckSegments(string source, List<TemplateError> errors)
    {
        // Segments are separated by ':' outside holes; an empty one (a leading, trailing or doubled ':')
        // is almost always a missing value and makes keys harder to invalidate by pattern.
        var depth = 0;
        var segmentStart = 0;
        for (var i = 0; i <= source.Length; i++)
        {
            var c = i < source.Length ? source[i] : ':';
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}' && depth > 0)
            {
                depth--;
            }
            else if (c == ':' && depth == 0)
            {
                if (i == segmentStart)
                {
                    // The span is the ':' (or both ':') around the empty segment, never a neighbouring character.
                    var start = i == 0 ? 0 : i - 1;
                    var length = i == 0 || i == source.Length ? 1 : 2;
                    errors.Add(new TemplateError(TemplateErrorKind.EmptySegment, start, length, $"Empty segment at position {Math.Min(i, source.Length)}: two ':' with nothing between them, or a ':' at an end."));
                }

                segmentStart = i + 1;
            }
        }
    }

    private static int IndexOfCloseBrace(string source, int from)
    {
        for (var i = from; i < source.Length; i++)
        {
            if (source[i] == '}')
            {
                return i;
            }

            if (source[i] == '{' || source[i] == ':')
            {
                return -1;
            }
        }

        return -1;
    }

    private static void FlushLiteral(List<TemplatePart> parts, StringBuilder literal, int literalStart)
    {
        if (literal.Length == 0)
        {
            return;
        }

        parts.Add(new TemplatePart(TemplatePartKind.Literal, literal.ToString(), literalStart, literal.Length));
        literal.Clear();
    }

    private static bool IsMemberPath(string name)
    {
        var expectIdentifierStart = true;
        foreach (var c in name)
        {
            if (expectIdentifierStart)
            {
                if (!(char.IsLetter(c) || c == '_' || c == '@'))
                {
                    return false;
                }

                expectIdentifierStart = false;
            }
            else if (c == '.')
            {
                expectIdentifierStart = true;
            }
            else if (!(char.IsLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return !expectIdentifierStart;
    }

    public override string ToString() => Text;
}
