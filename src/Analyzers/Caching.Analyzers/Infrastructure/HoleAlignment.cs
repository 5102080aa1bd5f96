using System.Collections.Generic;
using Caching.Templates;

namespace Caching.Analyzers.Infrastructure;

/// <summary>
/// Whether an invalidation pattern reaches a cached key only because one of its holes stands for a literal
/// segment of the key (<c>products:{id}:*</c> against <c>products:category:{category}:page:{page}</c>, with
/// <c>{id}</c> equal to <c>category</c>). It walks the two templates as <see cref="TemplateOverlap"/> does, once
/// as usual and once with a pattern hole barred from the characters of the key's all-literal segments; a pattern
/// that passes the first walk but not the second meets the key only through such a pun.
/// </summary>
/// <remarks>
/// This is a variant of the shared <see cref="TemplateOverlap"/> (a hole matches any text without ':', possibly
/// empty; '*' anything; '?' one character). It lives here because the shared grammar file is not the analyzers' to
/// change; it belongs there as an option once that file is open again.
/// </remarks>
internal static class HoleAlignment
{
    private enum TokenKind : byte
    {
        Char,
        Hole,
        Star,
        AnyOne,
    }

    /// <summary>True when the pattern can match a key of the template with each of its holes standing for key-hole text.</summary>
    public static bool ReachesWithoutPun(KeyTemplate pattern, KeyTemplate key) =>
        Walk(Tokenize(pattern), Tokenize(key), strict: true, out _);

    /// <summary>
    /// A witness that the pattern reaches the key through a pun: the pattern hole and the key's literal segment it
    /// stands for, or null when the pattern does not reach the key at all or reaches it without a pun.
    /// </summary>
    public static (string Hole, string Segment)? FindPun(KeyTemplate pattern, KeyTemplate key)
    {
        var a = Tokenize(pattern);
        var b = Tokenize(key);
        if (Walk(a, b, strict: true, out _) || !Walk(a, b, strict: false, out var puns) || puns.Count == 0)
        {
            return null;
        }

        var (i, j) = puns[0];
        return (pattern.Parts[a[i].Part].Text, key.Text.Split(':')[b[j].Segment]);
    }

    /// <summary>
    /// A depth-first walk over (pattern position, key position). In strict mode a pattern hole may not consume a
    /// character of an all-literal key segment. <paramref name="puns"/> lists, for the path found, every step where
    /// a pattern hole did consume such a character (in non-strict mode; always empty in strict mode).
    /// </summary>
    private static bool Walk(List<Token> a, List<Token> b, bool strict, out List<(int I, int J)> puns)
    {
        puns = new List<(int I, int J)>();
        var parents = new Dictionary<long, long>();
        var pending = new Stack<long>();
        pending.Push(0);
        parents.Add(0, -1);
        while (pending.Count > 0)
        {
            var state = pending.Pop();
            var i = (int)(state >> 32);
            var j = (int)(uint)state;
            if (i == a.Count && j == b.Count)
            {
                if (!strict)
                {
                    CollectPuns(a, b, parents, state, puns);
                }

                return true;
            }

            if (i < a.Count && a[i].IsRepeating)
            {
                Push(pending, parents, state, i + 1, j);
            }

            if (j < b.Count && b[j].IsRepeating)
            {
                Push(pending, parents, state, i, j + 1);
            }

            if (i == a.Count || j == b.Count)
            {
                continue;
            }

            var x = a[i];
            var y = b[j];
            if (x.Kind == TokenKind.Char && y.Kind == TokenKind.Char)
            {
                if (x.Value == y.Value)
                {
                    Push(pending, parents, state, i + 1, j + 1);
                }
            }
            else if (x.Kind == TokenKind.Char)
            {
                if (Accepts(y, x.Value))
                {
                    Push(pending, parents, state, i + 1, y.IsRepeating ? j : j + 1);
                }
            }
            else if (y.Kind == TokenKind.Char)
            {
                if (Accepts(x, y.Value) && !(strict && x.IsWrittenHole && y.IsProtected))
                {
                    Push(pending, parents, state, x.IsRepeating ? i : i + 1, j + 1);
                }
            }
            else if (x.Kind == TokenKind.AnyOne || y.Kind == TokenKind.AnyOne)
            {
                Push(pending, parents, state, x.IsRepeating ? i : i + 1, y.IsRepeating ? j : j + 1);
            }
        }

        return false;
    }

    private static void Push(Stack<long> pending, Dictionary<long, long> parents, long from, int i, int j)
    {
        var state = ((long)i << 32) | (uint)j;
        if (!parents.ContainsKey(state))
        {
            parents.Add(state, from);
            pending.Push(state);
        }
    }

    /// <summary>The steps of the found path on which a pattern hole consumed a character of an all-literal key segment.</summary>
    private static void CollectPuns(List<Token> a, List<Token> b, Dictionary<long, long> parents, long end, List<(int I, int J)> puns)
    {
        for (var state = end; parents[state] >= 0; state = parents[state])
        {
            var from = parents[state];
            var i = (int)(from >> 32);
            var j = (int)(uint)from;
            var nextJ = (int)(uint)state;
            if (i < a.Count && j < b.Count && nextJ == j + 1 && a[i].IsWrittenHole && b[j].Kind == TokenKind.Char && b[j].IsProtected)
            {
                puns.Add((i, j));
            }
        }

        puns.Reverse();
    }

    private static bool Accepts(Token token, char c) => token.Kind switch
    {
        TokenKind.Char => token.Value == c,
        TokenKind.Hole => c != ':',
        _ => true,
    };

    private static List<Token> Tokenize(KeyTemplate template)
    {
        // A segment is all-literal when no hole falls between its ':' separators (holes never contain ':').
        var literalSegments = new List<bool> { true };
        foreach (var part in template.Parts)
        {
            if (part.Kind == TemplatePartKind.Literal)
            {
                foreach (var c in part.Text)
                {
                    if (c == ':')
                    {
                        literalSegments.Add(true);
                    }
                }
            }
            else
            {
                literalSegments[literalSegments.Count - 1] = false;
            }
        }

        var tokens = new List<Token>();
        var segment = 0;
        for (var p = 0; p < template.Parts.Count; p++)
        {
            var part = template.Parts[p];
            switch (part.Kind)
            {
                case TemplatePartKind.Literal:
                    foreach (var c in part.Text)
                    {
                        tokens.Add(new Token(TokenKind.Char, c, p, segment, c != ':' && literalSegments[segment]));
                        if (c == ':')
                        {
                            segment++;
                        }
                    }

                    break;
                case TemplatePartKind.Hole:
                    tokens.Add(new Token(TokenKind.Hole, '\0', p, segment, false, KeyForms.IsTypeArgument(part.Text)));
                    break;
                default:
                    tokens.Add(new Token(part.Text == "*" ? TokenKind.Star : TokenKind.AnyOne, '\0', p, segment, false));
                    break;
            }
        }

        return tokens;
    }

    private readonly struct Token
    {
        public Token(TokenKind kind, char value, int part, int segment, bool isProtected, bool isTypeArgument = false)
        {
            IsTypeArgument = isTypeArgument;
            Kind = kind;
            Value = value;
            Part = part;
            Segment = segment;
            IsProtected = isProtected;
        }

        public TokenKind Kind { get; }

        public char Value { get; }

        /// <summary>Index of the template part the token comes from.</summary>
        public int Part { get; }

        /// <summary>Index of the ':'-separated segment the token is in.</summary>
        public int Segment { get; }

        /// <summary>A character of an all-literal segment of a key: a pattern hole standing for it is a pun.</summary>
        public bool IsProtected { get; }

        /// <summary>
        /// A hole a generic decorator puts before the template (<see cref="KeyForms"/>): the type argument may be any
        /// name, and its standing for a literal segment is no pun of the text the user wrote.
        /// </summary>
        public bool IsTypeArgument { get; }

        public bool IsWrittenHole => Kind == TokenKind.Hole && !IsTypeArgument;

        public bool IsRepeating => Kind == TokenKind.Hole || Kind == TokenKind.Star;
    }
}
