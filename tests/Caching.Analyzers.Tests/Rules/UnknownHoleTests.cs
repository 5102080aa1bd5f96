using Caching.Analyzers.Rules;
using Caching.Analyzers.Tests.Verifiers;
using Verify = Caching.Analyzers.Tests.Verifiers.AnalyzerVerifier<Caching.Analyzers.Rules.UnknownHoleAnalyzer>;

namespace Caching.Analyzers.Tests.Rules;

public class UnknownHoleTests
{
    [Fact]
    public async Task Misspelt_parameter_is_reported_on_the_hole_with_the_closest_name()
    {
        var source = Sources.Service("""
                [Cached("user:{|#0:{userld}|}:profile")]
                Task<UserProfile?> GetProfileAsync(string userId, CancellationToken ct = default);
            """);
        await Verify.VerifyAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.UnknownHole).WithLocation(0)
                .WithArguments("userld", "key", "user:{userld}:profile", "IUserService.GetProfileAsync", "does not name a parameter: did you mean 'userId'?"));
    }

    [Fact]
    public async Task Unknown_hole_in_a_pattern_and_in_a_tag_is_reported()
    {
        var source = Sources.Service("""
                [InvalidatesCache("user:{|#0:{id}|}:*", Tags = new[] { "tenant:{|#1:{tenat}|}" })]
                Task UpdateAsync(string userId, string tenant, CancellationToken ct = default);
            """);
        await Verify.VerifyAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.UnknownHole).WithLocation(0)
                .WithArguments("id", "pattern", "user:{id}:*", "IUserService.UpdateAsync", "does not name a parameter: did you mean 'userId'?"),
            Verify.Diagnostic(DiagnosticDescriptors.UnknownHole).WithLocation(1)
                .WithArguments("tenat", "tag", "tenant:{tenat}", "IUserService.UpdateAsync", "does not name a parameter: did you mean 'tenant'?"));
    }

    [Fact]
    public async Task Missing_member_in_a_path_names_the_type_and_the_closest_member()
    {
        var source = Sources.Service("""
                [Cached("list:{|#0:{filter.Regoin}|}:{filter.Page}")]
                Task<List<UserProfile>> ListAsync(Filter filter);
            """);
        await Verify.VerifyAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.UnknownHole).WithLocation(0)
                .WithArguments("filter.Regoin", "key", "list:{filter.Regoin}:{filter.Page}", "IUserService.ListAsync", "refers to 'Regoin', but 'Filter' (the type of 'filter') has no readable instance member 'Regoin': did you mean 'Region'?"));
    }

    [Fact]
    public async Task Method_without_parameters_gets_no_suggestion()
    {
        var source = Sources.Service("""
                [Cached("all:{|#0:{id}|}")]
                Task<List<UserProfile>> AllAsync();
            """);
        await Verify.VerifyAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.UnknownHole).WithLocation(0)
                .WithArguments("id", "key", "all:{id}", "IUserService.AllAsync", "does not name a parameter: 'AllAsync' has no parameter to build the value from"));
    }

    [Fact]
    public async Task Escaped_literal_falls_back_to_the_whole_literal()
    {
        var source = Sources.Service("""
                [Cached({|CACHE001:"user\u003A{userld}"|})]
                Task<UserProfile?> GetProfileAsync(string userId);
            """);
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task Verbatim_and_raw_literals_map_exactly()
    {
        var source = Sources.Service(""""
                [Cached(@"user:{|CACHE001:{userld}|}")]
                Task<UserProfile?> GetProfileAsync(string userId);

                [Cached("""user:{|CACHE001:{nme}|}""")]
                Task<UserProfile?> FindAsync(string name);
            """");
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task Constant_template_is_reported_on_the_argument()
    {
        var source = Sources.Usings + """
            public static class Keys { public const string Profile = "user:{userld}"; }
            public interface IUserService
            {
                [Cached({|CACHE001:Keys.Profile|})]
                Task<string> GetProfileAsync(string userId);
            }
            """;
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task Params_patterns_written_as_an_array_or_collection_expression_map_to_their_element()
    {
        var source = Sources.Service("""
                [InvalidatesCache(new[] { "user:{userId}:*", "team:{|CACHE001:{tem}|}:*" })]
                Task UpdateAsync(string userId, string team);

                [InvalidatesCache(["user:{userId}:*", "team:{|CACHE001:{tem}|}:*"])]
                Task Update2Async(string userId, string team);
            """);
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task Correct_templates_are_not_reported()
    {
        var source = Sources.Service("""
                [Cached("user:{userId}:profile")]
                Task<UserProfile?> GetProfileAsync(string userId, CancellationToken ct = default);

                [InvalidatesCache("user:{userId}:*")]
                Task UpdateProfileAsync(string userId, ProfileUpdate update, CancellationToken ct = default);

                [Cached("list:{filter.Region}:{filter.Nested.Code}:{filter.Page}", Tags = new[] { "region:{filter.Region}" })]
                Task<List<UserProfile>> ListAsync(Filter filter);

                [Cached("kw:{class}:{@event}")]
                Task<string> KeywordsAsync(string @class, int @event);

                [Cached("name:{name.Length}")]
                Task<string> LengthAsync(string name);

                [Cached("day:{date.Year}:{date.Value.Month}")]
                Task<string> DayAsync(DateTime? date);

                [Cached("users:all")]
                Task<List<UserProfile>> AllAsync();
            """);
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task Private_member_is_not_readable_by_the_generated_code()
    {
        var source = Sources.Usings + """
            public sealed class Secret { private string Code = ""; public string Name => Code; }
            public interface IUserService
            {
                [Cached("s:{|CACHE001:{secret.Code}|}")]
                Task<string> GetAsync(Secret secret);
            }
            """;
        await Verify.VerifyAsync(source);
    }
}
