using Caching.Analyzers.Tests.Verifiers;
using Verify = Caching.Analyzers.Tests.Verifiers.AnalyzerVerifier<Caching.Analyzers.Rules.ParameterNotInKeyAnalyzer>;

namespace Caching.Analyzers.Tests.Rules;

public class ParameterNotInKeyTests
{
    [Fact]
    public async Task Parameter_missing_from_the_key_is_reported_on_its_name()
    {
        var source = Sources.Service("""
                [Cached({|#1:"user:{userId}:profile"|})]
                Task<UserProfile?> GetProfileAsync(string userId, bool {|#0:includeDeleted|}, CancellationToken ct = default);
            """);
        await Verify.VerifyAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.ParameterNotInKey).WithLocation(0).WithLocation(1)
                .WithArguments("includeDeleted", "IUserService.GetProfileAsync", "user:{userId}:profile"));
    }

    [Fact]
    public async Task The_parameter_a_misspelt_hole_means_is_left_to_CACHE001_but_another_missing_one_is_reported()
    {
        var source = Sources.Service("""
                [Cached("user:{usrId}:profile")]
                Task<UserProfile?> GetProfileAsync(string userId, int {|CACHE002:page|});
            """);
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task By_reference_and_ref_struct_parameters_are_left_to_CACHE006()
    {
        var source = Sources.Service("""
                [Cached("sum:{length}")]
                int Sum(ReadOnlySpan<int> values, int length);

                [Cached("try:{id}")]
                bool TryGet(int id, out string value);
            """);
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task Every_missing_parameter_is_reported_and_a_tag_does_not_count_as_the_key()
    {
        var source = Sources.Service("""
                [Cached("users:list", Tags = new[] { "region:{region}" })]
                Task<List<UserProfile>> ListAsync(string {|CACHE002:region|}, UserStatus {|CACHE002:status|}, int {|CACHE002:page|});
            """);
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task Cancellation_token_not_cache_key_member_paths_and_keywords_are_not_reported()
    {
        var source = Sources.Service("""
                [Cached("user:{userId}:profile")]
                Task<UserProfile?> GetProfileAsync(string userId, [NotCacheKey] string? traceId = null, CancellationToken ct = default);

                [Cached("list:{filter.Region}")]
                Task<List<UserProfile>> ListAsync(Filter filter, CancellationToken cancellationToken);

                [Cached("kw:{class}")]
                Task<string> KeywordAsync(string @class);

                [Cached("users:all")]
                Task<List<UserProfile>> AllAsync(CancellationToken ct);
            """);
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task Invalidating_methods_may_take_parameters_outside_the_pattern()
    {
        var source = Sources.Service("""
                [Cached("user:{userId}:profile")]
                Task<UserProfile?> GetProfileAsync(string userId, CancellationToken ct = default);

                [InvalidatesCache("user:{userId}:*")]
                Task UpdateProfileAsync(string userId, ProfileUpdate update, CancellationToken ct = default);
            """);
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task Parameters_of_unresolved_types_are_left_to_the_compiler()
    {
        var source = Sources.Service("""
                [Cached("user:{userId}")]
                Task<UserProfile?> GetProfileAsync(string userId, {|CS0246:CancelationToken|} ct);
            """);
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task Nothing_is_reported_while_a_hole_is_still_being_typed()
    {
        var source = Sources.Service("""
                [Cached("user:{user")]
                Task<UserProfile?> GetProfileAsync(string userId, int page);
            """);
        await Verify.VerifyAsync(source);
    }
}
