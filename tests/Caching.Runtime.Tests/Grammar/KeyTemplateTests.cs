using Caching.Templates;

namespace Caching.Runtime.Tests.Grammar;

/// <summary>The shared key-template parser (linked into the generator and the analyzers): parts and error spans.</summary>
public sealed class KeyTemplateTests
{
    [Fact]
    public void A_key_template_is_split_into_literals_and_holes_with_their_positions()
    {
        var template = KeyTemplate.ParseKey("user:{userId}:profile");

        Assert.Empty(template.Errors);
        Assert.True(template.IsValid);
        Assert.False(template.IsPattern);
        Assert.False(template.IsConstant);
        Assert.Equal(
            [(TemplatePartKind.Literal, "user:", 0, 5), (TemplatePartKind.Hole, "userId", 5, 8), (TemplatePartKind.Literal, ":profile", 13, 8)],
            Parts(template));
        Assert.Equal(["userId"], template.Holes.Select(h => h.Text));
        Assert.Equal("{userId}", template.Parts[1].ToString());
    }

    [Fact]
    public void A_pattern_keeps_its_wildcards_as_parts()
    {
        var template = KeyTemplate.ParsePattern("user:{id}:*:v?");

        Assert.Empty(template.Errors);
        Assert.True(template.IsPattern);
        Assert.Equal(
            [
                (TemplatePartKind.Literal, "user:", 0, 5),
                (TemplatePartKind.Hole, "id", 5, 4),
                (TemplatePartKind.Literal, ":", 9, 1),
                (TemplatePartKind.Wildcard, "*", 10, 1),
                (TemplatePartKind.Literal, ":v", 11, 2),
                (TemplatePartKind.Wildcard, "?", 13, 1),
            ],
            Parts(template));
    }

    [Fact]
    public void A_template_without_holes_is_constant()
    {
        var template = KeyTemplate.ParseKey("config:global");

        Assert.True(template.IsValid);
        Assert.True(template.IsConstant);
        Assert.Equal([(TemplatePartKind.Literal, "config:global", 0, 13)], Parts(template));
        Assert.False(KeyTemplate.ParsePattern("config:*").IsConstant);
    }

    [Fact]
    public void A_member_path_hole_exposes_the_parameter_and_the_members()
    {
        var template = KeyTemplate.ParseKey("gpu:{filter.Region}:{query.Page.Size}:{id}");

        Assert.Empty(template.Errors);
        var holes = template.Holes.ToArray();
        Assert.Equal(["filter.Region", "query.Page.Size", "id"], holes.Select(h => h.Text));
        Assert.Equal(["filter", "query", "id"], holes.Select(h => h.RootName));
        Assert.Equal(["Region"], holes[0].MemberPath);
        Assert.Equal(["Page", "Size"], holes[1].MemberPath);
        Assert.Empty(holes[2].MemberPath);
        Assert.Equal((4, 15), (holes[0].Start, holes[0].Length));
    }

    [Theory]
    [InlineData("user:{userId}:profile")]
    [InlineData("users:list:{status}")]
    [InlineData("a")]
    [InlineData("{id}")]
    [InlineData("{id}:x")]
    [InlineData("gpu:{@class}:{_p1}:{filter.Region}")]
    [InlineData("a-b_c.d:{x_1}:v2")]
    [InlineData("api:q=1&r=2,(x)#%")]
    [InlineData("ünïcödé:{naïve}")]
    public void Valid_key_templates_have_no_errors(string text)
    {
        var template = KeyTemplate.ParseKey(text);

        Assert.True(template.IsValid, string.Join("; ", template.Errors));
        Assert.Equal(text, template.Text);
        Assert.Equal(text, string.Concat(template.Parts.Select(p => p.ToString())));
    }

    [Theory]
    [InlineData("user:{userId}:*")]
    [InlineData("*")]
    [InlineData("?")]
    [InlineData("users:list:*")]
    [InlineData("user:??:{id}")]
    public void Valid_patterns_have_no_errors(string text)
    {
        Assert.True(KeyTemplate.ParsePattern(text).IsValid, string.Join("; ", KeyTemplate.ParsePattern(text).Errors));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void An_empty_template_is_one_error_with_an_empty_span(string? text)
    {
        var template = KeyTemplate.ParseKey(text);

        Assert.Equal([(TemplateErrorKind.Empty, 0, 0)], Errors(template));
        Assert.Empty(template.Parts);
        Assert.Equal(string.Empty, template.Text);
    }

    [Theory]
    [InlineData("user:{id", TemplateErrorKind.UnbalancedOpenBrace, 5, 3)]
    [InlineData("{", TemplateErrorKind.UnbalancedOpenBrace, 0, 1)]
    [InlineData("user:{id:x}", TemplateErrorKind.UnbalancedOpenBrace, 5, 6)]
    [InlineData("a:{b{c}", TemplateErrorKind.UnbalancedOpenBrace, 2, 5)]
    [InlineData("user:id}", TemplateErrorKind.UnbalancedCloseBrace, 7, 1)]
    [InlineData("}", TemplateErrorKind.UnbalancedCloseBrace, 0, 1)]
    [InlineData("user:{}:x", TemplateErrorKind.EmptyHole, 5, 2)]
    [InlineData("user:{1id}", TemplateErrorKind.InvalidHoleName, 5, 5)]
    [InlineData("user:{a b}", TemplateErrorKind.InvalidHoleName, 5, 5)]
    [InlineData("user:{ id }", TemplateErrorKind.InvalidHoleName, 5, 6)]
    [InlineData("user:{a.}", TemplateErrorKind.InvalidHoleName, 5, 4)]
    [InlineData("user:{.a}", TemplateErrorKind.InvalidHoleName, 5, 4)]
    [InlineData("user:{a..b}", TemplateErrorKind.InvalidHoleName, 5, 6)]
    [InlineData("user:{a-b}", TemplateErrorKind.InvalidHoleName, 5, 5)]
    [InlineData("a::b", TemplateErrorKind.EmptySegment, 1, 2)]
    [InlineData(":a", TemplateErrorKind.EmptySegment, 0, 1)]
    [InlineData("a:", TemplateErrorKind.EmptySegment, 1, 1)]
    [InlineData("{x}::{y}", TemplateErrorKind.EmptySegment, 3, 2)]
    [InlineData("{a}{b}", TemplateErrorKind.AdjacentHoles, 0, 6)]
    [InlineData("x:{first}{second}:y", TemplateErrorKind.AdjacentHoles, 2, 15)]
    [InlineData("user:*", TemplateErrorKind.WildcardInKey, 5, 1)]
    [InlineData("user:?:x", TemplateErrorKind.WildcardInKey, 5, 1)]
    [InlineData("user: 42", TemplateErrorKind.Whitespace, 5, 1)]
    [InlineData("user:\t42", TemplateErrorKind.Whitespace, 5, 1)]
    [InlineData("user:\u00A042", TemplateErrorKind.Whitespace, 5, 1)]
    [InlineData("user:\u000142", TemplateErrorKind.ControlCharacter, 5, 1)]
    [InlineData("user:\u007F", TemplateErrorKind.ControlCharacter, 5, 1)]
    [InlineData("user:\u0090", TemplateErrorKind.ControlCharacter, 5, 1)]
    [InlineData("user:[a", TemplateErrorKind.ReservedCharacter, 5, 1)]
    [InlineData("user:a]", TemplateErrorKind.ReservedCharacter, 6, 1)]
    [InlineData("user:a\\b", TemplateErrorKind.ReservedCharacter, 6, 1)]
    public void A_key_template_mistake_is_one_error_with_its_exact_span(string text, object kind, int start, int length)
    {
        // The kind arrives boxed: TemplateErrorKind is internal, so it cannot be a public test's parameter type.
        var template = KeyTemplate.ParseKey(text);

        Assert.Equal([((TemplateErrorKind)kind, start, length)], Errors(template));
        Assert.False(template.IsValid);
        Assert.False(string.IsNullOrWhiteSpace(template.Errors[0].Message));
    }

    [Fact]
    public void Every_problem_in_a_template_is_reported_in_order()
    {
        var template = KeyTemplate.ParseKey("a: b:[{x}{y}:*");

        Assert.Equal(
            [
                (TemplateErrorKind.Whitespace, 2, 1),
                (TemplateErrorKind.ReservedCharacter, 5, 1),
                (TemplateErrorKind.AdjacentHoles, 6, 6),
                (TemplateErrorKind.WildcardInKey, 13, 1),
            ],
            Errors(template));
    }

    [Fact]
    public void A_bracket_is_reserved_in_a_pattern_too_but_wildcards_are_not()
    {
        var template = KeyTemplate.ParsePattern("user:[ab]*");

        Assert.Equal([(TemplateErrorKind.ReservedCharacter, 5, 1), (TemplateErrorKind.ReservedCharacter, 8, 1)], Errors(template));
    }

    [Fact]
    public void Pattern_segments_are_checked_like_key_segments()
    {
        Assert.Equal([(TemplateErrorKind.EmptySegment, 4, 2)], Errors(KeyTemplate.ParsePattern("user::*")));
        Assert.Equal([(TemplateErrorKind.EmptySegment, 1, 1)], Errors(KeyTemplate.ParsePattern("*:")));
    }

    [Fact]
    public void A_colon_inside_a_hole_does_not_split_segments_but_ends_the_hole()
    {
        // "{a:}" is an unterminated hole (holes never contain ':'), reported once, not as an empty segment too.
        var template = KeyTemplate.ParseKey("x:{a:}");

        Assert.Equal([(TemplateErrorKind.UnbalancedOpenBrace, 2, 4)], Errors(template));
    }

    [Fact]
    public void Messages_name_the_position_and_the_offending_text()
    {
        Assert.Equal("'{' at position 5 has no matching '}'.", KeyTemplate.ParseKey("user:{id").Errors[0].Message);
        Assert.Contains("'{first}' and '{second}'", KeyTemplate.ParseKey("{first}{second}").Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("U+0001", KeyTemplate.ParseKey("a\u0001").Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("'*' at position 2", KeyTemplate.ParseKey("a:*").Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parts_are_equatable_by_value()
    {
        var a = KeyTemplate.ParseKey("user:{id}").Parts[1];
        var b = KeyTemplate.ParseKey("user:{id}").Parts[1];
        var c = KeyTemplate.ParseKey("user:{ix}").Parts[1];

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
    }

    private static (TemplatePartKind, string, int, int)[] Parts(KeyTemplate template) =>
        template.Parts.Select(p => (p.Kind, p.Text, p.Start, p.Length)).ToArray();

    private static (TemplateErrorKind, int, int)[] Errors(KeyTemplate template) =>
        template.Errors.Select(e => (e.Kind, e.Start, e.Length)).ToArray();
}
