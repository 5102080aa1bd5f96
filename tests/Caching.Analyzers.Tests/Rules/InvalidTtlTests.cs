using Caching.Analyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Verify = Caching.Analyzers.Tests.Verifiers.AnalyzerVerifier<Caching.Analyzers.Rules.InvalidTtlAnalyzer>;

namespace Caching.Analyzers.Tests.Rules;

public class InvalidTtlTests
{
    [Fact]
    public async Task Unparsable_ttl_is_an_error_on_its_value()
    {
        var source = Sources.Service("""
                [Cached("user:{id}", LocalTtl = {|#0:"5x"|}, RedisTtl = {|#1:"soon"|})]
                Task<UserProfile?> GetAsync(string id);
            """);
        await Verify.VerifyAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.InvalidTtl).WithLocation(0)
                .WithArguments("LocalTtl", "5x", "IUserService.GetAsync", "is not a valid duration: expected a duration such as \"500ms\", \"30s\", \"5m\", \"1h\", \"1d\" or \"hh:mm:ss\""),
            Verify.Diagnostic(DiagnosticDescriptors.InvalidTtl).WithLocation(1)
                .WithArguments("RedisTtl", "soon", "IUserService.GetAsync", "is not a valid duration: expected a duration such as \"500ms\", \"30s\", \"5m\", \"1h\", \"1d\" or \"hh:mm:ss\""));
    }

    [Fact]
    public async Task Local_ttl_longer_than_redis_ttl_is_a_warning_on_the_local_ttl()
    {
        var source = Sources.Service("""
                [Cached("user:{id}", LocalTtl = {|#0:"1h"|}, RedisTtl = "00:05:00")]
                Task<UserProfile?> GetAsync(string id);
            """);
        await Verify.VerifyAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.InvalidTtl).WithLocation(0).WithSeverity(DiagnosticSeverity.Warning)
                .WithArguments("LocalTtl", "1h", "IUserService.GetAsync", "is longer than RedisTtl \"00:05:00\": the in-process copy outlives the shared one, so nodes disagree once Redis has expired it"));
    }

    [Fact]
    public async Task Valid_and_ordered_ttls_are_not_reported()
    {
        var source = Sources.Service("""
                [Cached("a:{id}", LocalTtl = "5m", RedisTtl = "30m")]
                Task<UserProfile?> A(string id);

                [Cached("b:{id}", LocalTtl = "500ms", RedisTtl = "500ms")]
                Task<UserProfile?> B(string id);

                [Cached("c:{id}", RedisTtl = "1d")]
                Task<UserProfile?> C(string id);

                [Cached("d:{id}", LocalTtl = "1:00:00", RedisTtl = "2h")]
                Task<UserProfile?> D(string id);

                [Cached("e:{id}", LocalTtl = null)]
                Task<UserProfile?> E(string id);
            """);
        await Verify.VerifyAsync(source);
    }
}
