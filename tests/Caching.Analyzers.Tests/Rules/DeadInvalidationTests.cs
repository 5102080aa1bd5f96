using Caching.Analyzers.Tests.Verifiers;
using Verify = Caching.Analyzers.Tests.Verifiers.AnalyzerVerifier<Caching.Analyzers.Rules.DeadInvalidationAnalyzer>;

namespace Caching.Analyzers.Tests.Rules;

public class DeadInvalidationTests
{
    [Fact]
    public async Task Pattern_that_matches_no_key_is_reported_on_its_literal()
    {
        var source = Sources.Service("""
                [Cached("user:{userId}:profile")]
                Task<UserProfile?> GetProfileAsync(string userId);

                [InvalidatesCache("user:{userId}:*", {|#0:"users:list:*"|})]
                Task UpdateAsync(string userId);
            """);
        await Verify.VerifyAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.DeadInvalidation).WithLocation(0).WithArguments("users:list:*", "IUserService.UpdateAsync"));
    }

    [Fact]
    public async Task Hole_values_never_contain_a_colon_so_a_deeper_key_is_not_matched_but_a_literal_can_fill_a_hole()
    {
        var source = Sources.Service("""
                [Cached("user:{userId}:profile")]
                Task<UserProfile?> GetProfileAsync(string userId);

                [InvalidatesCache({|CACHE004:"user:{userId}"|}, {|CACHE004:"users:*"|}, "user:profiles:*")]
                Task UpdateAsync(string userId);
            """);
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task Patterns_that_reach_keys_in_other_interfaces_are_not_reported()
    {
        var source = Sources.Usings + """
            public interface IReader
            {
                [Cached("user:{userId}:profile")]
                Task<UserProfile?> GetProfileAsync(string userId);

                [Cached("users:list:{status}")]
                Task<List<UserProfile>> ListAsync(UserStatus status);
            }

            public interface IWriter
            {
                [InvalidatesCache("user:{userId}:*", "users:list:*", "user:?*", "*")]
                Task UpdateAsync(string userId);

                [InvalidatesCache("users:list:{status}")]
                Task ChangeStatusAsync(UserStatus status);
            }
            """ + Sources.Models;
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task Without_any_cached_key_in_the_compilation_nothing_is_reported()
    {
        var source = Sources.Service("""
                [InvalidatesCache("user:{userId}:*")]
                Task UpdateAsync(string userId);
            """);
        await Verify.VerifyAsync(source);
    }

    /// <summary>Issue 12, finding 4: a plain pattern cannot reach the keys a generic interface writes behind its type arguments.</summary>
    [Fact]
    public async Task A_plain_pattern_does_not_reach_a_generic_interfaces_keys_but_one_with_a_leading_hole_or_star_does()
    {
        var source = Sources.Usings + """
            public interface IRepo<T>
            {
                [Cached("count")]
                Task<long> CountAsync();
            }

            public interface IRepoWriter<T>
            {
                [InvalidatesCache("count")]
                Task AddAsync();
            }

            public interface IAdmin
            {
                [InvalidatesCache({|#0:"count"|}, "{type}:count", "*:count")]
                Task ResetAsync(string type);
            }
            """;
        await Verify.VerifyAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.DeadInvalidation).WithLocation(0).WithArguments("count", "IAdmin.ResetAsync"));
    }
}
