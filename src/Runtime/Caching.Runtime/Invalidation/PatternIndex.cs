using Caching.Templates;

namespace Caching.Invalidation;

/// <summary>
/// Pattern shapes known in advance (every <c>[InvalidatesCache]</c> pattern of the application, registered by the
/// generated <c>AddCachingDecorators</c>, plus <see cref="MultiLayerCacheOptions.IndexedPatterns"/>), so that their
/// instances are invalidated by one mark instead of a SCAN even when they are not segment prefixes
/// (<c>user:*:avatar</c>, <c>tenant:{tenant}:user:*:avatar</c>, <c>http:GET:/items/*</c>).
/// <para>
/// An instance of a shape is the shape with each hole replaced by a value; its scope is the hash of that text. A
/// key belongs to the scope of every instance that matches it: the shape is walked over the key, holes taking any
/// text without ':' (which is all an escaped value can be), wildcards any text, and each complete walk yields one
/// instance. So a key carries the scope of every instance that could name it, and an invalidation of one instance
/// is a mark on one scope. Every node must register the same shapes (the generated registration does): a node that
/// lacks one does not check its marks.
/// </para>
/// </summary>
internal sealed class PatternIndex
{
    /// <summary>More instances of one key than this (a shape with many wildcards over a deep key) make the entry uncacheable: it is never served stale.</summary>
    public const int MaxScopesPerKey = 32;

    // Bounds the walk itself, which backtracks on wildcards; a key needing more is treated like one with too many scopes.
    private const int MaxSteps = 2048;

    private readonly Shape[] _shapes;

    private PatternIndex(Shape[] shapes) => _shapes = shapes;

    public static PatternIndex Empty { get; } = new([]);

    public bool IsEmpty => _shapes.Length == 0;

    /// <summary>The shapes that needed an index (segment-prefix shapes are covered by prefix scopes and left out).</summary>
    public int Count => _shapes.Length;

    /// <summary>Compiles <paramref name="patterns"/>; a pattern that cannot be indexed throws, naming it and why.</summary>
    public static PatternIndex Create(IEnumerable<string> patterns)
    {
        var shapes = new List<Shape>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pattern in patterns)
        {
            if (!seen.Add(pattern))
            {
                continue;
            }

            if (!TryCompile(pattern, out var shape, out var reason))
            {
                throw new CacheConfigurationException($"Indexed cache pattern '{pattern}' cannot be indexed: {reason}.");
            }

            if (shape is not null)
            {
                shapes.Add(shape);
            }
        }

        return shapes.Count == 0 ? Empty : new PatternIndex([.. shapes]);
    }

    /// <summary>
    /// Whether <paramref name="pattern"/> can be indexed (<see cref="PatternShape.Classify"/>, the rule the generator
    /// applies too). <paramref name="shape"/> is null for a shape whose instances are all segment prefixes.
    /// </summary>
    internal static bool TryCompile(string pattern, out Shape? shape, out string reason)
    {
        shape = null;
        var template = KeyTemplate.ParsePattern(pattern);
        switch (PatternShape.Classify(template, out reason))
        {
            case PatternShapeKind.NotIndexable:
                return false;
            case PatternShapeKind.SegmentPrefix:
                return true;
        }

        var tokens = new Token[template.Parts.Count];
        for (var i = 0; i < tokens.Length; i++)
        {
            var part = template.Parts[i];
            tokens[i] = part.Kind switch
            {
                TemplatePartKind.Literal => new Token(TokenKind.Literal, part.Text),
                TemplatePartKind.Hole => new Token(TokenKind.Hole, string.Empty),
                _ => new Token(TokenKind.Star, "*"),
            };
        }

        shape = new Shape(pattern, tokens);
        return true;
    }

    /// <summary>Whether <paramref name="pattern"/> is an instance of a registered shape, and the scope that stands for it.</summary>
    public bool TryScope(string pattern, out ulong scope)
    {
        foreach (var shape in _shapes)
        {
            if (shape.IsInstance(pattern))
            {
                scope = Scopes.Pattern(pattern);
                return true;
            }
        }

        scope = 0;
        return false;
    }

    /// <summary>
    /// Writes the scopes of the indexed instances that match <paramref name="key"/> to <paramref name="destination"/>
    /// (at least <see cref="MaxScopesPerKey"/> long) and returns how many, or -1 when there are too many to check.
    /// </summary>
    public int ScopesOf(string key, Span<ulong> destination)
    {
        var count = 0;
        Span<char> small = stackalloc char[256];
        foreach (var shape in _shapes)
        {
            if (!shape.MayMatch(key))
            {
                continue;
            }

            var length = key.Length + shape.Text.Length;
            var buffer = length <= small.Length ? small : new char[length];
            var walk = new Walk(shape.Tokens, key, buffer, destination, count);
            if (!walk.Run(0, 0, 0))
            {
                return -1;
            }

            count = walk.Count;
        }

        return count;
    }

    internal enum TokenKind
    {
        Literal,
        Hole,
        Star,
    }

    internal readonly record struct Token(TokenKind Kind, string Text);

    internal sealed class Shape(string text, Token[] tokens)
    {
        private readonly string _head = tokens[0].Kind == TokenKind.Literal ? tokens[0].Text : string.Empty;
        private readonly string _tail = tokens[^1].Kind == TokenKind.Literal ? tokens[^1].Text : string.Empty;

        public string Text { get; } = text;

        public Token[] Tokens { get; } = tokens;

        public bool MayMatch(string key) =>
            key.Length >= _head.Length + _tail.Length
            && key.StartsWith(_head, StringComparison.Ordinal)
            && key.EndsWith(_tail, StringComparison.Ordinal);

        /// <summary>Literals match themselves, each '*' a '*', each hole a value (text without ':', '*' or '?').</summary>
        public bool IsInstance(string pattern) => IsInstance(pattern.AsSpan(), 0);

        private bool IsInstance(ReadOnlySpan<char> rest, int token)
        {
            if (token == Tokens.Length)
            {
                return rest.IsEmpty;
            }

            var current = Tokens[token];
            switch (current.Kind)
            {
                case TokenKind.Literal:
                case TokenKind.Star:
                    return rest.StartsWith(current.Text, StringComparison.Ordinal) && IsInstance(rest[current.Text.Length..], token + 1);
                default:
                    var end = rest.IndexOfAny(':', '*', '?');
                    var longest = end < 0 ? rest.Length : end;
                    for (var length = 0; length <= longest; length++)
                    {
                        if (IsInstance(rest[length..], token + 1))
                        {
                            return true;
                        }
                    }

                    return false;
            }
        }
    }

    /// <summary>One shape walked over one key: every way it matches, each written as instance text and hashed.</summary>
    private ref struct Walk
    {
        private readonly Token[] _tokens;
        private readonly ReadOnlySpan<char> _key;
        private readonly Span<char> _instance;
        private readonly Span<ulong> _found;
        private int _steps;

        public Walk(Token[] tokens, ReadOnlySpan<char> key, Span<char> instance, Span<ulong> found, int count)
        {
            _tokens = tokens;
            _key = key;
            _instance = instance;
            _found = found;
            Count = count;
        }

        public int Count { get; private set; }

        /// <summary>False when the key has too many instances (or needs too long a walk) to be checked.</summary>
        public bool Run(int token, int position, int written)
        {
            if (++_steps > MaxSteps)
            {
                return false;
            }

            if (token == _tokens.Length)
            {
                return position != _key.Length || Add(Scopes.Pattern(_instance[..written]));
            }

            var current = _tokens[token];
            var rest = _key[position..];
            switch (current.Kind)
            {
                case TokenKind.Literal:
                    if (!rest.StartsWith(current.Text, StringComparison.Ordinal))
                    {
                        return true;
                    }

                    current.Text.AsSpan().CopyTo(_instance[written..]);
                    return Run(token + 1, position + current.Text.Length, written + current.Text.Length);

                case TokenKind.Hole:
                    var end = rest.IndexOfAny(':', '*', '?');
                    var longest = end < 0 ? rest.Length : end;
                    for (var length = 0; length <= longest; length++)
                    {
                        rest[..length].CopyTo(_instance[written..]);
                        if (!Run(token + 1, position + length, written + length))
                        {
                            return false;
                        }
                    }

                    return true;

                default:
                    _instance[written] = '*';
                    if (token == _tokens.Length - 1)
                    {
                        return Run(token + 1, _key.Length, written + 1);
                    }

                    // A star is always followed by a literal (a shape never puts a hole or a second star beside it).
                    var next = _tokens[token + 1].Text;
                    for (var at = rest.IndexOf(next, StringComparison.Ordinal); at >= 0; at = NextIndex(rest, next, at))
                    {
                        if (!Run(token + 1, position + at, written + 1))
                        {
                            return false;
                        }
                    }

                    return true;
            }
        }

        private static int NextIndex(ReadOnlySpan<char> text, string value, int after)
        {
            var next = text[(after + 1)..].IndexOf(value, StringComparison.Ordinal);
            return next < 0 ? -1 : after + 1 + next;
        }

        private bool Add(ulong scope)
        {
            for (var i = 0; i < Count; i++)
            {
                if (_found[i] == scope)
                {
                    return true;
                }
            }

            if (Count == MaxScopesPerKey)
            {
                return false;
            }

            _found[Count++] = scope;
            return true;
        }
    }
}
