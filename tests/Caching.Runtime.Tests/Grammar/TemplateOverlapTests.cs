using System.Collections;
using System.Text;
using System.Text.RegularExpressions;
using Caching.Templates;

namespace Caching.Runtime.Tests.Grammar;

/// <summary>The shared "can these two templates produce a common key" decision.</summary>
public sealed class TemplateOverlapTests
{
    [Theory]
    [InlineData("user:{id}:profile", "user:{id}:*", true)]
    [InlineData("user:{id}:profile", "users:*", false)]
    [InlineData("user:{id}:profile", "user:*", true)]
    [InlineData("user:{id}:profile", "user:{id}:settings", false)]
    [InlineData("user:{id}:profile", "user:42:profile", true)]
    [InlineData("user:{id}:profile", "user:*:profile", true)]
    [InlineData("user:{id}:profile", "user:*:prof", false)]
    [InlineData("user:{id}", "user:{a}:{b}", false)]
    [InlineData("user:{id}", "user:{a}:*", false)]
    [InlineData("user:{id}", "user:*", true)]
    [InlineData("user:{id}", "user:a:b", false)]
    [InlineData("*", "user:{a}:{b}:c", true)]
    [InlineData("*", "x", true)]
    [InlineData("*", "*", true)]
    [InlineData("a:{x}", "a:b", true)]
    [InlineData("a:{x}", "b:{x}", false)]
    [InlineData("a:{x}:c", "a:{y}:c", true)]
    [InlineData("a{x}b", "a?b", true)]
    [InlineData("a{x}b", "a:b", false)]
    [InlineData("a:?", "a:bc", false)]
    [InlineData("a:??", "a:bc", true)]
    [InlineData("a?b", "a:b", true)]
    [InlineData("user:?", "user:{id}", true)]
    [InlineData("?", "{x}:{y}", true)]
    [InlineData("??", "{x}", true)]
    [InlineData("a:*:c", "a:b:d", false)]
    [InlineData("a:*:c", "a:b:x:c", true)]
    [InlineData("*:profile", "user:{id}:settings", false)]
    [InlineData("*:profile", "user:{id}:profile", true)]
    [InlineData("gpu:list:*", "gpu:resource:{type}:{id}", false)]
    public void Overlap_table(string first, string second, bool expected)
    {
        var a = KeyTemplate.ParsePattern(first);
        var b = KeyTemplate.ParsePattern(second);

        Assert.Equal(expected, TemplateOverlap.CanOverlap(a, b));
        Assert.Equal(expected, TemplateOverlap.CanOverlap(b, a));
    }

    [Fact]
    public void Two_key_templates_overlap_when_values_can_make_them_equal()
    {
        Assert.True(TemplateOverlap.CanOverlap(KeyTemplate.ParseKey("a:{x}"), KeyTemplate.ParseKey("a:b")));
        Assert.False(TemplateOverlap.CanOverlap(KeyTemplate.ParseKey("a:{x}"), KeyTemplate.ParseKey("a:b:c")));
    }

    /// <summary>
    /// Every pair of templates of up to three tokens over {a, b, ':', hole, '*', '?'} against a reference: a hole is
    /// [^:]*, '*' is .*, '?' is one character; two templates overlap when some string matches both. A shortest
    /// common string advances at least one template per character, so strings up to 6 characters over {a, b, ':'}
    /// are enough witnesses.
    /// </summary>
    [Fact]
    public void CanOverlap_agrees_with_a_regular_expression_reference_on_every_small_template_pair()
    {
        string[] tokens = ["a", "b", ":", "{x}", "*", "?"];
        var templates = new List<string>();
        foreach (var length in new[] { 1, 2, 3 })
        {
            AddAll(templates, tokens, length, string.Empty);
        }

        var witnesses = new List<string>();
        for (var length = 0; length <= 6; length++)
        {
            AddAll(witnesses, ["a", "b", ":"], length, string.Empty);
        }

        var matches = templates.Select(t => Matching(t, witnesses)).ToArray();
        var parsed = templates.Select(KeyTemplate.ParsePattern).ToArray();
        var disagreements = new List<string>();
        for (var i = 0; i < templates.Count; i++)
        {
            for (var j = 0; j < templates.Count; j++)
            {
                var expected = new BitArray(matches[i]).And(matches[j]).Cast<bool>().Any(x => x);
                if (TemplateOverlap.CanOverlap(parsed[i], parsed[j]) != expected)
                {
                    disagreements.Add($"'{templates[i]}' vs '{templates[j]}': expected {expected}");
                }
            }
        }

        Assert.Equal(6 + 36 + 216, templates.Count);
        Assert.Empty(disagreements);
    }

    private static void AddAll(List<string> into, string[] tokens, int length, string prefix)
    {
        if (length == 0)
        {
            into.Add(prefix);
            return;
        }

        foreach (var token in tokens)
        {
            AddAll(into, tokens, length - 1, prefix + token);
        }
    }

    private static BitArray Matching(string template, List<string> witnesses)
    {
        var pattern = new StringBuilder("^");
        foreach (var part in KeyTemplate.ParsePattern(template).Parts)
        {
            pattern.Append(part.Kind switch
            {
                TemplatePartKind.Hole => "[^:]*",
                TemplatePartKind.Wildcard => part.Text == "*" ? ".*" : ".",
                _ => Regex.Escape(part.Text),
            });
        }

        var regex = new Regex(pattern.Append('$').ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant);
        var bits = new BitArray(witnesses.Count);
        for (var i = 0; i < witnesses.Count; i++)
        {
            bits[i] = regex.IsMatch(witnesses[i]);
        }

        return bits;
    }
}
