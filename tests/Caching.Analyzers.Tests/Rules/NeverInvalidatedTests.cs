using Caching.Analyzers.Tests.Verifiers;
using Verify = Caching.Analyzers.Tests.Verifiers.AnalyzerVerifier<Caching.Analyzers.Rules.NeverInvalidatedAnalyzer>;

namespace Caching.Analyzers.Tests.Rules;

public class NeverInvalidatedTests
{
    [Fact]
    public async Task Key_no_pattern_reaches_is_reported_as_information()
    {
        var source = Sources.Service("""
                [Cached("user:{userId}:profile")]
                Task<UserProfile?> GetProfileAsync(string userId);

                [Cached({|#0:"users:list:{status}"|})]
                Task<List<UserProfile>> ListAsync(UserStatus status);

                [InvalidatesCache("user:{userId}:*")]
                Task UpdateAsync(string userId);
            """);
        await Verify.VerifyAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.NeverInvalidated).WithLocation(0).WithArguments("users:list:{status}", "IUserService.ListAsync"));
    }

    [Fact]
    public async Task Keys_reached_by_exact_or_wildcard_patterns_are_not_reported()
    {
        var source = Sources.Service("""
                [Cached("user:{userId}:profile")]
                Task<UserProfile?> GetProfileAsync(string userId);

                [Cached("users:list:{status}")]
                Task<List<UserProfile>> ListAsync(UserStatus status);

                [InvalidatesCache("user:{userId}:profile", "users:*")]
                Task UpdateAsync(string userId);
            """);
        await Verify.VerifyAsync(source);
    }
}
