using System.Text.RegularExpressions;
using Caching.Generators.Tests.Infrastructure;

namespace Caching.Generators.Tests;

/// <summary>The compile-time fingerprint of a cached type's serialized shape: what changes it and what does not.</summary>
public sealed partial class SchemaTagTests
{
    private const string Baseline = """
        public sealed class Order { public int Id { get; init; } public string Customer { get; init; } = ""; public Line[] Lines { get; init; } = []; }
        public sealed class Line { public string Sku { get; init; } = ""; public int Quantity { get; init; } }
        """;

    [Theory]
    [InlineData("added member", "public int Id { get; init; } public decimal Total { get; init; }")]
    [InlineData("renamed member", "public int Number { get; init; }")]
    [InlineData("retyped member", "public long Id { get; init; }")]
    public void A_change_to_the_type_changes_the_tag(string change, string replacementForId)
    {
        var changed = Baseline.Replace("public int Id { get; init; }", replacementForId, StringComparison.Ordinal);

        Assert.True(Tag(Baseline) != Tag(changed), change);
    }

    [Fact]
    public void A_change_deep_in_a_nested_type_changes_the_tag()
    {
        Assert.NotEqual(Tag(Baseline), Tag(Baseline.Replace("public int Quantity", "public double Quantity", StringComparison.Ordinal)));
    }

    [Fact]
    public void Member_order_type_names_and_ignored_members_do_not_change_the_tag()
    {
        var reordered = """
            public sealed class Order { public Line[] Lines { get; init; } = []; public string Customer { get; init; } = ""; public int Id { get; init; } }
            public sealed class Line { public int Quantity { get; init; } public string Sku { get; init; } = ""; }
            """;
        var ignored = Baseline.Replace("public int Id { get; init; }", "public int Id { get; init; } [System.Text.Json.Serialization.JsonIgnore] public int Cache { get; init; }", StringComparison.Ordinal);

        Assert.Equal(Tag(Baseline), Tag(reordered));
        Assert.Equal(Tag(Baseline), Tag(ignored));
    }

    [Fact]
    public void A_JSON_rename_changes_the_tag()
    {
        var renamed = Baseline.Replace("public int Id", "[System.Text.Json.Serialization.JsonPropertyName(\"order_id\")] public int Id", StringComparison.Ordinal);

        Assert.NotEqual(Tag(Baseline), Tag(renamed));
    }

    [Fact]
    public void A_recursive_type_gets_a_tag()
    {
        var tree = "public sealed class Order { public int Id { get; init; } public Order? Parent { get; init; } public System.Collections.Generic.List<Order> Children { get; init; } = []; }";

        Assert.Matches("^[0-9a-f]{8}$", Tag(tree));
        Assert.NotEqual(Tag(tree), Tag(tree.Replace("int Id", "long Id", StringComparison.Ordinal)));
    }

    private static string Tag(string types)
    {
        var source = $$"""
            using System.Threading.Tasks;
            using Caching;

            namespace Schema;

            {{types}}

            public interface IOrders
            {
                [Cached("order:{id}")]
                Task<Order> GetAsync(int id);
            }
            """;
        var generated = GeneratorHarness.Run(source).AssertCompilesCleanly().Source("Schema.OrdersCachingDecorator.g.cs");
        return SchemaTagPattern().Match(generated).Groups[1].Value;
    }

    [GeneratedRegex("SchemaTag = \"([0-9a-f]{8})\"")]
    private static partial Regex SchemaTagPattern();
}
