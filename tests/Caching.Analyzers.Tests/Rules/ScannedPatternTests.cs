using Caching.Analyzers.Tests.Verifiers;
using Verify = Caching.Analyzers.Tests.Verifiers.AnalyzerVerifier<Caching.Analyzers.Rules.ScannedPatternAnalyzer>;

namespace Caching.Analyzers.Tests.Rules;

public class ScannedPatternTests
{
    [Fact]
    public async Task Patterns_the_runtime_cannot_index_are_reported_with_the_reason()
    {
        var source = Sources.Service("""
                [InvalidatesCache({|#0:"user:{userId}*"|})]
                Task A(string userId);

                [InvalidatesCache({|#1:"user:?:profile"|})]
                Task B();

                [InvalidatesCache({|#2:"user:*{userId}:x"|})]
                Task C(string userId);
            """);
        await Verify.VerifyAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.ScannedPattern).WithLocation(0)
                .WithArguments("user:{userId}*", "IUserService.A", "two wildcards, or a hole and a wildcard, have no literal between them"),
            Verify.Diagnostic(DiagnosticDescriptors.ScannedPattern).WithLocation(1)
                .WithArguments("user:?:profile", "IUserService.B", "'?' cannot be indexed (use '*')"),
            Verify.Diagnostic(DiagnosticDescriptors.ScannedPattern).WithLocation(2)
                .WithArguments("user:*{userId}:x", "IUserService.C", "two wildcards, or a hole and a wildcard, have no literal between them"));
    }

    [Fact]
    public async Task Prefix_patterns_indexed_shapes_exact_keys_tags_and_malformed_patterns_are_not_reported()
    {
        var source = Sources.Service("""
                [InvalidatesCache("user:{userId}:*", "user:*:avatar", "tenant:{userId}:user:*:avatar", "*", "http:GET:/items/*", "user:{userId}:profile", Tags = new[] { "user?" })]
                Task A(string userId);

                [InvalidatesCache("user::*")]
                Task B();
            """);

        await Verify.VerifyAsync(source);
    }
}
