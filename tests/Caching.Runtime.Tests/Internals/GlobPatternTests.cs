using System.Text;
using System.Text.RegularExpressions;
using Caching.Internal;

namespace Caching.Runtime.Tests.Internals;

/// <summary>L1's glob matcher, which must agree with Redis MATCH for '*' and '?'.</summary>
public sealed class GlobPatternTests
{
    [Theory]
    [InlineData("user:42:*", "user:42:profile", true)]
    [InlineData("user:42:*", "user:42:", true)]
    [InlineData("user:42:*", "user:42", false)]
    [InlineData("user:42:*", "user:420:profile", false)]
    [InlineData("user:*", "user:42:profile", true)]
    [InlineData("user:*:profile", "user:42:profile", true)]
    [InlineData("user:*:profile", "user:42:x:profile", true)]
    [InlineData("user:*:profile", "user:42:profiles", false)]
    [InlineData("user:?", "user:4", true)]
    [InlineData("user:?", "user:42", false)]
    [InlineData("user:?", "user:", false)]
    [InlineData("user:??", "user:42", true)]
    [InlineData("*", "", true)]
    [InlineData("*", "anything:at:all", true)]
    [InlineData("**", "x", true)]
    [InlineData("", "", true)]
    [InlineData("", "x", false)]
    [InlineData("a*b*c", "abc", true)]
    [InlineData("a*b*c", "aXbYc", true)]
    [InlineData("a*b*c", "acb", false)]
    [InlineData("*a", "bbba", true)]
    [InlineData("*a", "abbb", false)]
    [InlineData("user:42", "user:42", true)]
    [InlineData("user:42", "USER:42", false)]
    [InlineData("?*?", "ab", true)]
    [InlineData("?*?", "a", false)]
    public void Match_table(string pattern, string text, bool expected)
    {
        Assert.Equal(expected, GlobPattern.IsMatch(pattern, text));
    }

    [Fact]
    public void IsMatch_agrees_with_a_regular_expression_on_random_patterns_and_keys()
    {
        var random = new Random(1234);
        for (var n = 0; n < 20_000; n++)
        {
            var pattern = RandomText(random, "ab:*?", random.Next(0, 9));
            var text = random.Next(4) == 0 ? Instance(random, pattern) : RandomText(random, "ab:", random.Next(0, 10));

            var expected = Reference(pattern).IsMatch(text);

            Assert.True(expected == GlobPattern.IsMatch(pattern, text), $"'{pattern}' vs '{text}': expected {expected}");
        }
    }

    [Fact]
    public void A_question_mark_matches_what_Redis_matches_for_non_ASCII_keys()
    {
        // "é" is two bytes in UTF-8: Redis matches "user:??" and not "user:?".
        Assert.False(GlobPattern.IsMatch("user:?", "user:é"));
        Assert.True(GlobPattern.IsMatch("user:??", "user:é"));
    }

    [Theory]
    [InlineData("user:*", true)]
    [InlineData("user:?", true)]
    [InlineData("user:42", false)]
    [InlineData("", false)]
    public void HasWildcard(string pattern, bool expected)
    {
        Assert.Equal(expected, GlobPattern.HasWildcard(pattern));
    }

    private static Regex Reference(string pattern)
    {
        var regex = new StringBuilder("^");
        foreach (var c in pattern)
        {
            regex.Append(c switch
            {
                '*' => ".*",
                '?' => ".",
                _ => Regex.Escape(c.ToString()),
            });
        }

        return new Regex(regex.Append('$').ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant);
    }

    private static string RandomText(Random random, string alphabet, int length)
    {
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            text.Append(alphabet[random.Next(alphabet.Length)]);
        }

        return text.ToString();
    }

    /// <summary>A string the pattern matches, so the random test sees plenty of matches, not only misses.</summary>
    private static string Instance(Random random, string pattern)
    {
        var text = new StringBuilder();
        foreach (var c in pattern)
        {
            text.Append(c switch
            {
                '*' => RandomText(random, "ab:", random.Next(0, 4)),
                '?' => RandomText(random, "ab:", 1),
                _ => c.ToString(),
            });
        }

        return text.ToString();
    }
}
