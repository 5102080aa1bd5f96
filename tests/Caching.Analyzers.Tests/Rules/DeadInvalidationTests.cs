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

    /// <summary>
    /// The index skips files that cannot hold a caching attribute (AttributeTrees); a key written through an alias,
    /// local or global, in a file that never spells "Cached" is still one.
    /// </summary>
    [Fact]
    public async Task Keys_written_through_a_local_or_global_alias_in_other_files_are_reached()
    {
        var test = new Verify.Test
        {
            TestCode = Sources.Usings + """
                public interface IWriter
                {
                    [InvalidatesCache("user:{userId}:*", "orders:*", {|#0:"baskets:*"|})]
                    Task UpdateAsync(string userId);
                }
                """ + Sources.Models,
        };
        test.TestState.Sources.Add(("Reader.cs", """
            using System.Threading.Tasks;
            using Key = Caching.CachedAttribute;

            public interface IReader
            {
                [Key("user:{userId}:profile")]
                Task<UserProfile?> GetProfileAsync(string userId);
            }
            """));
        test.TestState.Sources.Add(("Globals.cs", "global using Stored = Caching.CachedAttribute;\n"));
        test.TestState.Sources.Add(("Orders.cs", """
            using System.Threading.Tasks;

            public sealed class OrderReader
            {
                public int Id { get; set; }
            }

            public interface IOrders
            {
                [Stored("orders:{id}")]
                Task<OrderReader?> GetAsync(string id);
            }
            """));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(DiagnosticDescriptors.DeadInvalidation).WithLocation(0).WithArguments("baskets:*", "IWriter.UpdateAsync"));
        await test.RunAsync();
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
