// Decides whether two templates can produce a common concrete key. Shared by the analyzers (dead
// invalidations, colliding keys) and the generator. A hole stands for any escaped value, which never
// contains ':' (the runtime escapes it), so a hole never spans segments; '*' spans anything.

using System.Collections.Generic;

namespace Caching.Templates;

internal static class TemplateOverlap
{
    private enum TokenKind : byte
    {
        Char,
        Hole,
        Star,
        AnyOne,
    }

    private readonly struct Token
    {
        public Token(TokenKind kind, char value)
        {
            Kind = kind;
            Value = value;
        }

        public TokenKind Kind { get; }

        public char Value { get; }

        public bool IsRepeating => Kind == TokenKind.Hole || Kind == TokenKind.Star;
    }

    /// <summary>True when some key can be produced (or matched) by both templates.</summary>
    public static bool CanOverlap(KeyTemplate first, KeyTemplate second)
    {
        var a = Tokenize(first);
        var b = Tokenize(second);
        var seen = new HashSet<long>();
        var pending = new Stack<(int I, int J)>();
        pending.Push((0, 0));
        while (pending.Count > 0)
        {
            var (i, j) = pending.Pop();
            if (!seen.Add(((long)i << 32) | (uint)j))
            {
                continue;
            }

            if (i == a.Count && j == b.Count)
            {
                return true;
            }

            if (i < a.Count && a[i].IsRepeating)
            {
                pending.Push((i + 1, j));
            }

            if (j < b.Count && b[j].IsRepeating)
            {
                pending.Push((i, j + 1));
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
                    pending.Push((i + 1, j + 1));
                }
            }
            else if (x.Kind == TokenKind.Char)
            {
                if (Accepts(y, x.Value))
                {
                    pending.Push((i + 1, y.IsRepeating ? j : j + 1));
                }
            }
            else if (y.Kind == TokenKind.Char)
            {
                if (Accepts(x, y.Value))
                {
                    pending.Push((x.IsRepeating ? i : i + 1, j + 1));
                }
            }
            else if (x.Kind == TokenKind.AnyOne || y.Kind == TokenKind.AnyOne)
            {
                // One side needs exactly one character; a repeating side can give it and stay.
                pending.Push((x.IsRepeating ? i : i + 1, y.IsRepeating ? j : j + 1));
            }
        }

        return false;
    }

    private static bool Accepts(Token token, char c) => token.Kind switch
    {
        TokenKind.Char => token.Value == c,
        TokenKind.Hole => c != ':',
        _ => true,
    };

    private static List<Token> Tokenize(KeyTemplate template)
    {
        var tokens = new List<Token>();
        foreach (var part in template.Parts)
        {
            switch (part.Kind)
            {
                case TemplatePartKind.Literal:
                    foreach (var c in part.Text)
                    {
                        tokens.Add(new Token(TokenKind.Char, c));
                    }

                    break;
                case TemplatePartKind.Hole:
                    tokens.Add(new Token(TokenKind.Hole, '\0'));
                    break;
                default:
                    tokens.Add(new Token(part.Text == "*" ? TokenKind.Star : TokenKind.AnyOne, '\0'));
                    break;
            }
        }

        return tokens;
    }
}
