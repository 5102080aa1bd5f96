using Caching.Analyzers.Tests.Verifiers;
using Verify = Caching.Analyzers.Tests.Verifiers.CodeFixVerifier<Caching.Analyzers.Rules.InconsistentSegmentCaseAnalyzer, Caching.Analyzers.CodeFixes.InconsistentSegmentCaseFixer>;

namespace Caching.Analyzers.Tests.CodeFixes;

public class InconsistentSegmentCaseFixerTests
{
    [Fact]
    public async Task Rewrites_every_minority_spelling_to_the_majority_one()
    {
        var source = Sources.Service("""
                [Cached("user:{id}:profile")]
                Task<UserProfile?> GetProfileAsync(string id);

                [Cached("user:{id}:settings")]
                Task<string> GetSettingsAsync(string id);

                [Cached("{|CACHE010:User|}:{id}:{|CACHE010:Settings|}")]
                Task<string> GetSettings2Async(string id);

                [InvalidatesCache("{|CACHE010:USER|}:{id}:*", "{|CACHE010:User|}:{id}:{|CACHE010:Profile|}")]
                Task UpdateAsync(string id);
            """);
        var fixedSource = Sources.Service("""
                [Cached("user:{id}:profile")]
                Task<UserProfile?> GetProfileAsync(string id);

                [Cached("user:{id}:settings")]
                Task<string> GetSettingsAsync(string id);

                [Cached("user:{id}:settings")]
                Task<string> GetSettings2Async(string id);

                [InvalidatesCache("user:{id}:*", "user:{id}:profile")]
                Task UpdateAsync(string id);
            """);
        await Verify.VerifyAsync(source, fixedSource);
    }
}
