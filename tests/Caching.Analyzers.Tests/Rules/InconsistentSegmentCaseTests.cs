using Caching.Analyzers.Tests.Verifiers;
using Verify = Caching.Analyzers.Tests.Verifiers.AnalyzerVerifier<Caching.Analyzers.Rules.InconsistentSegmentCaseAnalyzer>;

namespace Caching.Analyzers.Tests.Rules;

public class InconsistentSegmentCaseTests
{
    [Fact]
    public async Task Minority_spelling_is_reported_on_the_segment()
    {
        var source = Sources.Service("""
                [Cached("user:{id}:profile")]
                Task<UserProfile?> GetProfileAsync(string id);

                [Cached("user:{id}:settings")]
                Task<string> GetSettingsAsync(string id);

                [InvalidatesCache("{|#0:User|}:{id}:*")]
                Task UpdateAsync(string id);
            """);
        await Verify.VerifyAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.InconsistentSegmentCase).WithLocation(0)
                .WithArguments("User", 0, "User:{id}:*", "IUserService.UpdateAsync", "user", 2));
    }

    [Fact]
    public async Task Ties_prefer_the_lower_case_spelling_and_later_positions_count_too()
    {
        var source = Sources.Service("""
                [Cached("{|CACHE010:USER|}:{id}:profile")]
                Task<UserProfile?> A(string id);

                [Cached("user:{id}:{|CACHE010:Profile|}")]
                Task<UserProfile?> B(string id);

                [Cached("user:{id}:profile:x")]
                Task<UserProfile?> C(string id);
            """);
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task Different_positions_partial_segments_and_equal_spellings_are_fine()
    {
        var source = Sources.Service("""
                [Cached("users:list:{status}")]
                Task<List<UserProfile>> ListAsync(UserStatus status);

                [Cached("admin:Users:{id}")]
                Task<UserProfile?> AdminAsync(string id);

                [Cached("v{id}:x")]
                Task<UserProfile?> V1Async(string id);

                [Cached("V{id}:y")]
                Task<UserProfile?> V2Async(string id);

                [InvalidatesCache("users:list:*")]
                Task ResetAsync();
            """);
        await Verify.VerifyAsync(source);
    }
}
