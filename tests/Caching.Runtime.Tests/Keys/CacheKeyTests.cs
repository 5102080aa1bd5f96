using System.Text;

namespace Caching.Runtime.Tests.Keys;

/// <summary>Escaping (DESIGN invariant 3: a value can never widen a key or a pattern) and pattern checks.</summary>
public sealed class CacheKeyTests
{
    private const string ReservedPrintable = "%:*?[]\\{}(),=&#";

    [Fact]
    public void Escape_encodes_exactly_the_reserved_characters_and_control_characters()
    {
        var wrong = new List<string>();
        for (var code = 0; code <= char.MaxValue; code++)
        {
            var c = (char)code;
            var reserved = ReservedPrintable.Contains(c, StringComparison.Ordinal) || char.IsControl(c);
            var expected = reserved ? "%" + code.ToString("X2", System.Globalization.CultureInfo.InvariantCulture) : c.ToString();
            var actual = CacheKey.Escape(c.ToString());
            if (actual != expected || CacheKey.IsReserved(c) != reserved)
            {
                wrong.Add($"U+{code:X4}: '{actual}' (IsReserved {CacheKey.IsReserved(c)})");
            }
        }

        Assert.Empty(wrong);
    }

    [Theory]
    [InlineData("42", "42")]
    [InlineData("", "")]
    [InlineData("42:admin", "42%3Aadmin")]
    [InlineData("user:*", "user%3A%2A")]
    [InlineData("a?b", "a%3Fb")]
    [InlineData("[abc]", "%5Babc%5D")]
    [InlineData("a\\b", "a%5Cb")]
    [InlineData("{id}", "%7Bid%7D")]
    [InlineData("(a,b)", "%28a%2Cb%29")]
    [InlineData("q=1&r=2#x", "q%3D1%26r%3D2%23x")]
    [InlineData("100%", "100%25")]
    [InlineData("%N", "%25N")]
    [InlineData("line\nbreak\u0000", "line%0Abreak%00")]
    [InlineData("John Smith-é.中_~!@$^+|;'\"<>/", "John Smith-é.中_~!@$^+|;'\"<>/")]
    public void Escape_examples(string value, string expected)
    {
        Assert.Equal(expected, CacheKey.Escape(value));
        Assert.Equal(value, CacheKey.Unescape(expected));
    }

    [Fact]
    public void Null_has_its_own_token_distinct_from_empty_and_from_the_text_of_the_token()
    {
        Assert.Equal("%N", CacheKey.Escape(null));
        Assert.Equal(CacheKey.NullToken, CacheKey.Escape(null));
        Assert.NotEqual(CacheKey.Escape(null), CacheKey.Escape(string.Empty));
        Assert.NotEqual(CacheKey.Escape(null), CacheKey.Escape("%N"));
        Assert.Null(CacheKey.Unescape("%N"));
        Assert.Equal(string.Empty, CacheKey.Unescape(string.Empty));
        Assert.Throws<ArgumentNullException>(() => CacheKey.Unescape(null!));
    }

    [Fact]
    public void Unescape_reverses_Escape_and_escaped_values_never_carry_structure_for_thousands_of_random_strings()
    {
        var random = new Random(20250114);
        var forbidden = ":*?[]\\{}(),=&#";
        for (var n = 0; n < 5000; n++)
        {
            var value = RandomValue(random);
            var escaped = CacheKey.Escape(value);

            Assert.Equal(value, CacheKey.Unescape(escaped));
            Assert.NotEqual(CacheKey.NullToken, escaped);
            var bad = escaped.IndexOfAny(forbidden.ToCharArray());
            Assert.True(bad < 0, $"'{escaped}' (from '{value}') contains '{(bad < 0 ? ' ' : escaped[bad])}'");
            Assert.DoesNotContain(escaped, char.IsControl);

            // Every '%' left in the output starts an escape sequence, so escaping is injective.
            for (var i = escaped.IndexOf('%'); i >= 0; i = escaped.IndexOf('%', i + 1))
            {
                Assert.True(i + 2 < escaped.Length && Uri.IsHexDigit(escaped[i + 1]) && Uri.IsHexDigit(escaped[i + 2]), escaped);
            }
        }
    }

    [Fact]
    public void Distinct_values_escape_to_distinct_text()
    {
        var random = new Random(7);
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var n = 0; n < 5000; n++)
        {
            var value = RandomValue(random);
            var escaped = CacheKey.Escape(value);
            if (seen.TryGetValue(escaped, out var other))
            {
                Assert.Equal(other, value);
            }

            seen[escaped] = value;
        }
    }

    [Theory]
    [InlineData("user:42:*")]
    [InlineData("user:*")]
    [InlineData("user:??:profile")]
    [InlineData("user:42")]
    [InlineData("*")]
    [InlineData("user name:with space")]
    public void IsValidPattern_accepts_star_and_question_mark_patterns(string pattern)
    {
        Assert.True(CacheKey.IsValidPattern(pattern, out var reason));
        Assert.Equal(string.Empty, reason);
    }

    [Theory]
    [InlineData(null, "empty")]
    [InlineData("", "empty")]
    [InlineData("user:[1-3]:*", "'[' at position 5")]
    [InlineData("user:1]", "']' at position 6")]
    [InlineData("user:\\*", "'\\' at position 5")]
    [InlineData("user:\u0001:*", "U+0001")]
    [InlineData("user:\n", "U+000A")]
    [InlineData("user:\u0085", "U+0085")]
    public void IsValidPattern_rejects_other_glob_syntax_and_control_characters_with_a_reason(string? pattern, string reasonPart)
    {
        Assert.False(CacheKey.IsValidPattern(pattern, out var reason));
        Assert.Contains(reasonPart, reason, StringComparison.Ordinal);
    }

    private static string RandomValue(Random random)
    {
        // Weighted towards the characters that matter: reserved ones, '%', hex digits and 'N' (escape look-alikes).
        const string interesting = "%:*?[]\\{}(),=&#%%%0123456789ABCDEFabcdefN \t\n\u0000\u001F\u007F\u0080\u0085\u009F\u00A0é中";
        var length = random.Next(0, 40);
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            switch (random.Next(10))
            {
                case < 6:
                    text.Append(interesting[random.Next(interesting.Length)]);
                    break;
                case < 8:
                    text.Append((char)random.Next('a', 'z' + 1));
                    break;
                case 8:
                    text.Append("😀");
                    break;
                default:
                    text.Append((char)random.Next(0, char.MaxValue + 1));
                    break;
            }
        }

        return text.ToString();
    }

    private static string RandomAscii(Random random, int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = (char)random.Next('!', '~' + 1);
        }

        return new string(chars);
    }
}
