using Caching.Analyzers.CodeFixes;
using Caching.Analyzers.Tests.Verifiers;
using Verify = Caching.Analyzers.Tests.Verifiers.CodeFixVerifier<Caching.Analyzers.Rules.ParameterNotInKeyAnalyzer, Caching.Analyzers.CodeFixes.ParameterNotInKeyFixer>;

namespace Caching.Analyzers.Tests.CodeFixes;

public class ParameterNotInKeyFixerTests
{
    private const string Source = """
            [Cached("user:{userId}")]
            Task<UserProfile?> GetAsync(string userId, bool {|CACHE002:includeDeleted|}, int {|CACHE002:page|}, CancellationToken ct = default);

            [Cached(@"team:{teamId}")]
            Task<UserProfile?> GetTeamAsync(
                string teamId,
                string {|CACHE002:region|});
        """;

    [Fact]
    public async Task Appends_each_missing_parameter_to_the_key_in_parameter_order()
    {
        var fixedSource = Sources.Service("""
                [Cached("user:{userId}:{includeDeleted}:{page}")]
                Task<UserProfile?> GetAsync(string userId, bool includeDeleted, int page, CancellationToken ct = default);

                [Cached(@"team:{teamId}:{region}")]
                Task<UserProfile?> GetTeamAsync(
                    string teamId,
                    string region);
            """);
        await Verify.VerifyAsync(Sources.Service(Source), fixedSource, ParameterNotInKeyFixer.AppendToKey);
    }

    [Fact]
    public async Task Marks_each_missing_parameter_not_cache_key()
    {
        var fixedSource = Sources.Service("""
                [Cached("user:{userId}")]
                Task<UserProfile?> GetAsync(string userId, [NotCacheKey] bool includeDeleted, [NotCacheKey] int page, CancellationToken ct = default);

                [Cached(@"team:{teamId}")]
                Task<UserProfile?> GetTeamAsync(
                    string teamId,
                    [NotCacheKey] string region);
            """);
        await Verify.VerifyAsync(Sources.Service(Source), fixedSource, ParameterNotInKeyFixer.MarkNotCacheKey);
    }

    [Fact]
    public async Task Without_a_using_the_attribute_is_qualified_and_a_constant_key_only_gets_the_attribute_fix()
    {
        var source = """
            using System.Threading.Tasks;

            public static class Keys { public const string User = "user:{id}"; }

            public interface IUserService
            {
                [Caching.Cached(Keys.User)]
                Task<string> GetAsync(string id, [System.ComponentModel.Description("v")] bool {|CACHE002:verbose|});
            }
            """;
        var fixedSource = """
            using System.Threading.Tasks;

            public static class Keys { public const string User = "user:{id}"; }

            public interface IUserService
            {
                [Caching.Cached(Keys.User)]
                Task<string> GetAsync(string id, [Caching.NotCacheKey][System.ComponentModel.Description("v")] bool verbose);
            }
            """;
        await Verify.VerifyAsync(source, fixedSource, ParameterNotInKeyFixer.MarkNotCacheKey);

        var test = new Verify.Test { TestCode = source, FixedCode = source, CodeActionEquivalenceKey = ParameterNotInKeyFixer.AppendToKey };
        await test.RunAsync();
    }
}
