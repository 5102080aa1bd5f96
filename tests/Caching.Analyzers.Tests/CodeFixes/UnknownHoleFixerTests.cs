using Caching.Analyzers.CodeFixes;
using Caching.Analyzers.Rules;
using Caching.Analyzers.Tests.Verifiers;
using Verify = Caching.Analyzers.Tests.Verifiers.CodeFixVerifier<Caching.Analyzers.Rules.UnknownHoleAnalyzer, Caching.Analyzers.CodeFixes.UnknownHoleFixer>;

namespace Caching.Analyzers.Tests.CodeFixes;

public class UnknownHoleFixerTests
{
    [Fact]
    public async Task Replaces_the_hole_with_the_suggested_parameter()
    {
        var source = Sources.Service("""
                [Cached("user:{|CACHE001:{userld}|}:profile")]
                Task<UserProfile?> GetProfileAsync(string userId, CancellationToken ct = default);
            """);
        var fixedSource = Sources.Service("""
                [Cached("user:{userId}:profile")]
                Task<UserProfile?> GetProfileAsync(string userId, CancellationToken ct = default);
            """);
        await Verify.VerifyAsync(source, fixedSource);
    }

    [Fact]
    public async Task Fix_all_repairs_several_holes_of_one_literal_and_member_paths()
    {
        var source = Sources.Service("""
                [Cached("list:{|CACHE001:{fitler.Region}|}:{|CACHE001:{filter.Pgae}|}:{|CACHE001:{Status}|}")]
                Task<List<UserProfile>> ListAsync(Filter filter, UserStatus status);

                [InvalidatesCache("user:{|CACHE001:{id}|}:*", "team:{|CACHE001:{tem}|}:*")]
                Task UpdateAsync(string userId, string team);
            """);
        var fixedSource = Sources.Service("""
                [Cached("list:{filter.Region}:{filter.Page}:{status}")]
                Task<List<UserProfile>> ListAsync(Filter filter, UserStatus status);

                [InvalidatesCache("user:{userId}:*", "team:{team}:*")]
                Task UpdateAsync(string userId, string team);
            """);
        await Verify.VerifyAsync(source, fixedSource);
    }

    [Fact]
    public async Task Escaped_and_verbatim_literals_are_rewritten_by_value()
    {
        var source = Sources.Service("""
                [Cached({|CACHE001:"user\u003A{userld}"|})]
                Task<UserProfile?> GetProfileAsync(string userId);

                [Cached(@"name:{|CACHE001:{nme}|}")]
                Task<UserProfile?> FindAsync(string name);
            """);
        var fixedSource = Sources.Service("""
                [Cached("user:{userId}")]
                Task<UserProfile?> GetProfileAsync(string userId);

                [Cached(@"name:{name}")]
                Task<UserProfile?> FindAsync(string name);
            """);
        await Verify.VerifyAsync(source, fixedSource);
    }

    [Fact]
    public async Task No_fix_is_offered_without_a_suggestion_or_for_a_constant()
    {
        var source = Sources.Usings + """
            public static class Keys { public const string Profile = "user:{userld}"; }
            public interface IUserService
            {
                [Cached({|CACHE001:Keys.Profile|})]
                Task<string> GetProfileAsync(string userId);

                [Cached("all:{|CACHE001:{id}|}")]
                Task<string> AllAsync();
            }
            """;
        await Verify.VerifyAsync(source, source);
    }
}
