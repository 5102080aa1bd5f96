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

    [Fact]
    public async Task Resilience_durations_and_the_eager_refresh_threshold_are_checked_like_ttls()
    {
        var source = Sources.Service("""
                [Cached("user:{id}", FactorySoftTimeout = {|#0:"fast"|}, FactoryHardTimeout = "2s", JitterMaxDuration = {|#1:"5 min"|}, EagerRefreshThreshold = {|#2:1.5|})]
                Task<UserProfile?> GetAsync(string id);

                [Cached("ok:{id}", FactorySoftTimeout = "100ms", FactoryHardTimeout = "00:00:02", JitterMaxDuration = "30s", EagerRefreshThreshold = 0.9, DistributedLock = true)]
                Task<UserProfile?> OkAsync(string id);
            """);
        const string expected = "is not a valid duration: expected a duration such as \"500ms\", \"30s\", \"5m\", \"1h\", \"1d\" or \"hh:mm:ss\"";
        await Verify.VerifyAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.InvalidTtl).WithLocation(0).WithArguments("FactorySoftTimeout", "fast", "IUserService.GetAsync", expected),
            Verify.Diagnostic(DiagnosticDescriptors.InvalidTtl).WithLocation(1).WithArguments("JitterMaxDuration", "5 min", "IUserService.GetAsync", expected),
            Verify.Diagnostic(DiagnosticDescriptors.InvalidTtl).WithLocation(2)
                .WithArguments("EagerRefreshThreshold", "1.5", "IUserService.GetAsync", "is not a fraction of the time to live: expected a number from 0 (no eager refresh) up to, not including, 1"));
    }
}
