using Caching.Analyzers.Tests.Verifiers;
using Verify = Caching.Analyzers.Tests.Verifiers.AnalyzerVerifier<Caching.Analyzers.Rules.MalformedTemplateAnalyzer>;

namespace Caching.Analyzers.Tests.Rules;

public class MalformedTemplateTests
{
    [Fact]
    public async Task Unbalanced_open_brace_is_reported_from_the_brace_to_the_end()
    {
        var source = Sources.Service("""
                [Cached("user:{|#0:{userId|}")]
                Task<UserProfile?> GetAsync(string userId);
            """);
        await Verify.VerifyAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.MalformedTemplate).WithLocation(0)
                .WithArguments("key", "user:{userId", "IUserService.GetAsync", "'{' at position 5 has no matching '}'."));
    }

    [Fact]
    public async Task Each_kind_of_mistake_is_reported_on_its_own_span()
    {
        var source = Sources.Service("""
                [Cached("user:userId{|CACHE003:}|}")]
                Task<UserProfile?> A(string userId);

                [Cached("user:{|CACHE003:{}|}")]
                Task<UserProfile?> B(string userId);

                [Cached("a{|CACHE003:::|}b")]
                Task<UserProfile?> C(string userId);

                [Cached("pair:{|CACHE003:{a}{b}|}")]
                Task<UserProfile?> D(string a, string b);

                [Cached("user:{|CACHE003:*|}")]
                Task<UserProfile?> E(string userId);

                [Cached("user:{|CACHE003: |}{userId}")]
                Task<UserProfile?> F(string userId);

                [Cached("user:{|CACHE003:{user-id}|}")]
                Task<UserProfile?> G(string userId);

                [Cached("user:{userId}{|CACHE003::|}")]
                Task<UserProfile?> H(string userId);

                [Cached("user:{|CACHE003:[|}{userId}")]
                Task<UserProfile?> I(string userId);
            """);
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task Empty_templates_and_escaped_control_characters_are_reported_on_the_whole_literal()
    {
        var source = Sources.Service("""
                [Cached({|CACHE003:""|})]
                Task<UserProfile?> A(string userId);

                [Cached({|CACHE003:"user:\u0001{userId}"|})]
                Task<UserProfile?> B(string userId);

                [InvalidatesCache({|CACHE003:"user:{userId}\t"|})]
                Task C(string userId);
            """);
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task Tags_are_checked_like_keys()
    {
        var source = Sources.Service("""
                [Cached("user:{userId}", Tags = new[] { "user{|CACHE003:::|}{userId}" })]
                Task<UserProfile?> A(string userId);
            """);
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task Wildcards_in_patterns_and_literals_between_holes_are_fine()
    {
        var source = Sources.Service("""
                [Cached("user:{userId}:profile")]
                Task<UserProfile?> GetProfileAsync(string userId, CancellationToken ct = default);

                [Cached("pair:{a}-{b}:x")]
                Task<UserProfile?> PairAsync(string a, string b);

                [InvalidatesCache("user:{userId}:*", "users:list:*", "user:?:profile")]
                Task UpdateProfileAsync(string userId, ProfileUpdate update, CancellationToken ct = default);
            """);
        await Verify.VerifyAsync(source);
    }
}
