using Microsoft.CodeAnalysis;
using Caching.Analyzers.Tests.Verifiers;
using Verify = Caching.Analyzers.Tests.Verifiers.AnalyzerVerifier<Caching.Analyzers.Rules.NeverInvalidatedAnalyzer>;

namespace Caching.Analyzers.Tests.Rules;

public class NeverInvalidatedTests
{
    [Fact]
    public async Task Key_no_pattern_reaches_in_an_interface_that_invalidates_other_keys_is_a_warning()
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
            Verify.Diagnostic(DiagnosticDescriptors.NeverInvalidated).WithLocation(0).WithSeverity(DiagnosticSeverity.Warning).WithArguments("users:list:{status}", "IUserService.ListAsync"));
    }

    [Fact]
    public async Task Key_of_an_interface_that_writes_nothing_is_information_since_relying_on_the_TTL_may_be_the_design()
    {
        var source = Sources.Usings + """
            public interface ICountries
            {
                [Cached({|#0:"countries:all"|}, RedisTtl = "1d")]
                Task<List<string>> ListAsync();
            }

            public interface IUsers
            {
                [Cached("user:{userId}:profile")]
                Task<UserProfile?> GetProfileAsync(string userId);

                [InvalidatesCache("user:{userId}:*")]
                Task UpdateAsync(string userId);
            }
            """ + Sources.Models;
        await Verify.VerifyAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.NeverInvalidated).WithLocation(0).WithSeverity(DiagnosticSeverity.Info).WithArguments("countries:all", "ICountries.ListAsync"));
    }

    [Fact]
    public async Task An_invalidation_inherited_from_a_base_interface_makes_it_a_warning()
    {
        var source = Sources.Usings + """
            public interface IWriter
            {
                [InvalidatesCache("user:{userId}:*")]
                Task UpdateAsync(string userId);
            }

            public interface IUsers : IWriter
            {
                [Cached("user:{userId}:profile")]
                Task<UserProfile?> GetProfileAsync(string userId);

                [Cached({|#0:"users:count"|})]
                Task<int> CountAsync();
            }
            """ + Sources.Models;
        await Verify.VerifyAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.NeverInvalidated).WithLocation(0).WithSeverity(DiagnosticSeverity.Warning).WithArguments("users:count", "IUsers.CountAsync"));
    }

    [Fact]
    public async Task A_key_whose_tag_an_invalidation_removes_is_reached()
    {
        var source = Sources.Service("""
                [Cached("user:{userId}:profile", Tags = new[] { "tenant:{tenant}" })]
                Task<UserProfile?> GetProfileAsync(string userId, string tenant);

                [Cached({|#0:"user:{userId}:settings"|}, Tags = new[] { "other" })]
                Task<string> GetSettingsAsync(string userId);

                [InvalidatesCache(Tags = new[] { "tenant:{tenant}" })]
                Task ResetTenantAsync(string tenant);
            """);
        await Verify.VerifyAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.NeverInvalidated).WithLocation(0).WithArguments("user:{userId}:settings", "IUserService.GetSettingsAsync"));
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
