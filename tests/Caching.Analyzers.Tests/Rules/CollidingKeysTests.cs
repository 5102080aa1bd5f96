using Caching.Analyzers.Tests.Verifiers;
using Verify = Caching.Analyzers.Tests.Verifiers.AnalyzerVerifier<Caching.Analyzers.Rules.CollidingKeysAnalyzer>;

namespace Caching.Analyzers.Tests.Rules;

public class CollidingKeysTests
{
    [Fact]
    public async Task Keys_that_can_be_equal_with_different_types_are_reported_on_both()
    {
        var source = Sources.Usings + """
            public interface IUsers
            {
                [Cached({|#0:"user:{id}"|})]
                Task<UserProfile?> GetAsync(string id);
            }

            public interface INames
            {
                [Cached({|#1:"user:{name}"|})]
                ValueTask<string> GetNameAsync(string name);
            }
            """ + Sources.Models;
        await Verify.VerifyAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.CollidingKeys).WithLocation(0).WithLocation(1)
                .WithArguments("user:{id}", "IUsers.GetAsync", "UserProfile?", "user:{name}", "INames.GetNameAsync", "string"),
            Verify.Diagnostic(DiagnosticDescriptors.CollidingKeys).WithLocation(1).WithLocation(0)
                .WithArguments("user:{name}", "INames.GetNameAsync", "string", "user:{id}", "IUsers.GetAsync", "UserProfile?"));
    }

    [Fact]
    public async Task A_hole_can_swallow_a_literal_of_another_template()
    {
        var source = Sources.Service("""
                [Cached({|CACHE005:"item:{a}-{b}"|})]
                Task<string> PairAsync(string a, string b);

                [Cached({|CACHE005:"item:{c}"|})]
                Task<int> SingleAsync(string c);
            """);
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task Disjoint_templates_same_types_and_type_parameters_are_not_reported()
    {
        var source = Sources.Usings + """
            public interface IUserService
            {
                [Cached("user:{id}:profile")]
                Task<UserProfile?> GetProfileAsync(string id);

                [Cached("user:{id}:name")]
                Task<string> GetNameAsync(string id);

                [Cached("user:{id}")]
                Task<UserProfile> GetAsync(string id);

                [Cached("user:{id}")]
                UserProfile? Get(string id);

                [Cached("user:{a}:{b}:x")]
                Task<int> CountAsync(string a, string b);
            }

            public interface IRepository<T>
            {
                [Cached("entity:{id}")]
                Task<T> FindAsync(string id);
            }

            public interface IOther<T>
            {
                [Cached("entity:{id}")]
                Task<List<T>> FindAllAsync(string id);
            }
            """ + Sources.Models;
        await Verify.VerifyAsync(source);
    }
}
