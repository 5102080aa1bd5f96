using Caching.Generators.Tests.Infrastructure;

namespace Caching.Generators.Tests;

/// <summary>
/// Every constraint shape C# allows on a type parameter, on a generic method (implemented explicitly, where only
/// <c>class</c>, <c>struct</c> or <c>default</c> may be restated) and on a generic interface (whose decorator restates
/// the full list). The consumer must compile warning-free with nullable enabled.
/// </summary>
public sealed class ConstraintTests
{
    private const string Types = """
        using System.Threading.Tasks;
        using Caching;

        namespace Shop.Entities;

        public abstract class EntityBase
        {
            public string Id { get; set; } = "";
        }

        public interface IEntity
        {
            string Id { get; }
        }

        public interface IOther
        {
        }

        """;

    /// <summary>Constraint clause, and the result type a cached method of that type parameter returns.</summary>
    public static TheoryData<string, string> Shapes => new()
    {
        { "", "T?" },
        { "where T : EntityBase", "T?" },
        { "where T : EntityBase?", "T?" },
        { "where T : EntityBase, IEntity, new()", "T?" },
        { "where T : class", "T?" },
        { "where T : class?", "T?" },
        { "where T : class, IEntity, new()", "T?" },
        { "where T : class?, IEntity?", "T?" },
        { "where T : struct", "T?" },
        { "where T : struct", "T" },
        { "where T : struct, IEntity", "T?" },
        { "where T : unmanaged", "T?" },
        { "where T : unmanaged, IEntity", "T" },
        { "where T : notnull", "T?" },
        { "where T : notnull, IEntity", "T?" },
        { "where T : IEntity", "T?" },
        { "where T : IEntity?", "T?" },
        { "where T : IEntity, IOther", "T?" },
        { "where T : new()", "T?" },
        { "where T : System.Enum", "T?" },
        { "where T : struct, System.Enum", "T?" },
        { "where T : System.Delegate", "T?" },
        { "where T : System.Delegate?", "T?" },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void A_generic_method_with_the_constraint_compiles_cleanly(string constraint, string result)
    {
        var source = Types + $$"""
            public interface IStore
            {
                [Cached("entity:{id}")]
                Task<{{result}}> GetAsync<T>(string id) {{constraint}};

                [Cached("entity:sync:{id}")]
                {{result}} Get<T>(int id) {{constraint}};

                [InvalidatesCache("entity:{id}")]
                Task SaveAsync<T>(string id, T entity) {{constraint}};

                {{result}} Plain<T>(T value) {{constraint}};
            }
            """;

        GeneratorHarness.Run(source).AssertCompilesCleanly();
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void A_generic_interface_with_the_constraint_compiles_cleanly(string constraint, string result)
    {
        var source = Types + $$"""
            public interface IRepository<T> {{constraint}}
            {
                [Cached("repo:{id}")]
                Task<{{result}}> GetAsync(string id);

                [InvalidatesCache("repo:{id}")]
                Task SaveAsync(string id, T entity);

                {{result}} Plain(T value);
            }
            """;

        GeneratorHarness.Run(source).AssertCompilesCleanly();
    }

    [Fact]
    public void Type_parameters_constrained_by_each_other_compile_cleanly()
    {
        var source = Types + """
            public interface IStore
            {
                [Cached("pair:{id}")]
                Task<U?> GetAsync<T, U>(string id) where T : EntityBase where U : T;

                [Cached("pair:value:{id}")]
                Task<U?> FindAsync<T, U>(string id) where T : IEntity where U : T, new();

                [Cached("pair:nested:{id}")]
                Task<U?> NestedAsync<T, U>(string id) where T : class where U : T;
            }

            public interface IRepository<TKey, TValue> where TKey : notnull where TValue : class, TKey
            {
                [Cached("repo:{id}")]
                Task<TValue?> GetAsync(string id);

                [Cached("repo:generic:{id}")]
                Task<TOther?> GetOtherAsync<TOther>(string id) where TOther : TValue;
            }
            """;

        GeneratorHarness.Run(source).AssertCompilesCleanly();
    }

    [Fact]
    public void Constraints_declared_in_a_nullable_oblivious_context_compile_cleanly()
    {
        var source = Types + """
            #nullable disable
            public interface IStore
            {
                [Cached("oblivious:{id}")]
                Task<T> GetAsync<T>(string id) where T : EntityBase;

                [Cached("oblivious:class:{id}")]
                Task<T> ClassAsync<T>(string id) where T : class, IEntity;
            }

            public interface IRepository<T> where T : class
            {
                [Cached("oblivious:repo:{id}")]
                Task<T> GetAsync(string id);
            }
            #nullable restore
            """;

        GeneratorHarness.Run(source).AssertCompilesCleanly();
    }

    [Fact]
    public void The_base_class_constraint_of_the_issue_is_restated_as_class_not_default()
    {
        var source = Types + """
            public interface IStore
            {
                [Cached("entity:{id}")]
                Task<T?> GetAsync<T>(string id) where T : EntityBase;
            }
            """;

        var decorator = GeneratorHarness.Run(source).AssertCompilesCleanly().Source("Shop.Entities.StoreCachingDecorator.g.cs");

        Assert.Contains("global::Shop.Entities.IStore.GetAsync<T>(string id) where T : class\n", decorator, StringComparison.Ordinal);
        Assert.DoesNotContain("where T : default", decorator, StringComparison.Ordinal);
        Assert.Contains("GetAsyncKey<T>(string id) where T : global::Shop.Entities.EntityBase\n", decorator, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hole_reads_a_member_a_type_parameters_constraint_declares()
    {
        // The analyzers always accepted {item.Id} here; the generator used to forward the method uncached (CACHEGEN001).
        var source = Types + """
            public interface IItems
            {
                [Cached("item:{item.Id}")]
                Task<string> GetAsync<T>(T item) where T : IEntity;

                [Cached("item:{item.Id}:{item.Id.Length}")]
                Task<int> LengthAsync<T>(T item) where T : IEntity;
            }
            """;

        var result = GeneratorHarness.Run(source).AssertCompilesCleanly();
        Assert.Empty(result.GeneratorDiagnostics);
        var decorator = string.Join("\n", result.Sources.Values);
        Assert.DoesNotContain("not cached", decorator);
        // T may be a class, so a null argument appends the null token instead of throwing.
        Assert.Contains("item?.Id", decorator);
        Assert.Contains("item?.Id?.Length", decorator);
    }
}
