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

    /// <summary>Issue 12, finding 4: the generator writes a generic interface's keys behind its type arguments.</summary>
    [Fact]
    public async Task A_generic_interfaces_key_lives_behind_its_type_arguments_and_meets_only_keys_that_can_be_there()
    {
        var source = Sources.Usings + """
            public interface IRepo<T>
            {
                [Cached("count")]
                Task<long> CountAsync();

                [Cached({|#0:"total"|})]
                Task<long> TotalAsync();
            }

            public interface IStats
            {
                [Cached("count")]
                Task<int> CountAsync();

                [Cached({|#1:"{scope}:total"|})]
                Task<int> TotalAsync(string scope);
            }
            """;
        await Verify.VerifyAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.CollidingKeys).WithLocation(0).WithLocation(1)
                .WithArguments("total", "IRepo.TotalAsync", "long", "{scope}:total", "IStats.TotalAsync", "int"),
            Verify.Diagnostic(DiagnosticDescriptors.CollidingKeys).WithLocation(1).WithLocation(0)
                .WithArguments("{scope}:total", "IStats.TotalAsync", "int", "total", "IRepo.TotalAsync", "long"));
    }

    /// <summary>
    /// A method of a generic interface that a non-generic interface inherits is decorated both ways: plain in the
    /// non-generic one's decorator, so its plain key can collide there.
    /// </summary>
    [Fact]
    public async Task A_generic_interfaces_key_inherited_by_a_non_generic_interface_is_also_plain()
    {
        var source = Sources.Usings + """
            public interface IReadStore<TKey>
            {
                [Cached({|#0:"stock:{key}"|})]
                Task<int> StockAsync(TKey key);
            }

            public interface IInventory : IReadStore<string>
            {
            }

            public interface ILabels
            {
                [Cached({|#1:"stock:{id}"|})]
                Task<string> LabelAsync(string id);
            }
            """;
        await Verify.VerifyAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.CollidingKeys).WithLocation(0).WithLocation(1)
                .WithArguments("stock:{key}", "IReadStore.StockAsync", "int", "stock:{id}", "ILabels.LabelAsync", "string"),
            Verify.Diagnostic(DiagnosticDescriptors.CollidingKeys).WithLocation(1).WithLocation(0)
                .WithArguments("stock:{id}", "ILabels.LabelAsync", "string", "stock:{key}", "IReadStore.StockAsync", "int"));
    }
}
