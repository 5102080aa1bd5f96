using Caching.Generators.Tests.Infrastructure;

namespace Caching.Generators.Tests;

/// <summary>
/// Issue 12, generated copies: a mutable result type gets a member-wise deep copy in its decorator, so an L1 hit hands
/// out a copy without the serializer; what cannot be copied exactly stays with the serializer, and says why.
/// </summary>
public sealed class GeneratedCopyTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private const string Shapes = """
        using System.Collections.Generic;
        using System.Text.Json.Serialization;
        using System.Threading.Tasks;
        using Caching;

        namespace Consumer;

        public sealed class Address
        {
            public string City { get; set; } = "";
            public List<string> Lines { get; set; } = new();
        }

        public sealed record Tag(string Name);

        public sealed class Profile
        {
            public string Name { get; set; } = "";
            public int Visits { get; set; }
            public Address Home { get; set; } = new();
            public Address? Work { get; set; }
            public List<Address> Previous { get; set; } = new();
            public Dictionary<string, List<int>> Scores { get; set; } = new();
            public int[] Lucky { get; set; } = [];
            public Address[][] Grid { get; set; } = [];
            public IReadOnlyList<Tag> Tags { get; init; } = [];
            public HashSet<string> Roles { get; set; } = new();
            [JsonIgnore] public string Secret { get; set; } = "";
        }

        public record Order(string Id, List<string> Items)
        {
            public Address Ship { get; init; } = new();
        }

        public sealed class Tree
        {
            public List<Tree> Children { get; set; } = new();
        }

        public sealed class Point
        {
            public Point(int x) => X = x;
            public int X { get; set; }
        }

        public interface IShop
        {
            [Cached("profile:{id}")]
            Task<Profile> ProfileAsync(string id);

            [Cached("order:{id}")]
            Task<Order?> OrderAsync(string id);

            [Cached("orders:{id}")]
            Task<List<Order>> OrdersAsync(string id);

            [Cached("tree:{id}")]
            Task<Tree> TreeAsync(string id);

            [Cached("point:{id}")]
            Task<Point> PointAsync(string id);
        }
        """;

    [Fact]
    public void Mutable_results_get_a_copier_and_what_cannot_be_copied_exactly_says_why()
    {
        var result = GeneratorHarness.Run(Shapes).AssertCompilesCleanly();
        var source = result.Source("Consumer.ShopCachingDecorator.g.cs");

        Assert.Contains("Copier = new global::Caching.CacheValueCopier<global::Consumer.Profile>(static value => Copy_Profile_", source);
        Assert.Contains("Copier = new global::Caching.CacheValueCopier<global::Consumer.Order?>(static value => Copy_Order_", source);
        Assert.Contains("Copier = new global::Caching.CacheValueCopier<global::System.Collections.Generic.List<global::Consumer.Order>>(", source);
        Assert.Contains("the serializer copies: Tree contains itself (a cycle in its type graph)", source);
        Assert.Contains("the serializer copies: Point has no public parameterless constructor", source);
        Assert.DoesNotContain("Secret =", source);

        // One function per type, shared by the two methods that copy an Order.
        Assert.Equal(1, Occurrences(source, "private static global::Consumer.Order? Copy_Order_"));
    }

    private const string Scenario = """

        public sealed class Shop : IShop
        {
            public int Loads;

            public Task<Profile> ProfileAsync(string id)
            {
                Loads++;
                return Task.FromResult(new Profile
                {
                    Name = "n",
                    Visits = 1,
                    Home = new Address { City = "Oslo", Lines = { "1 Main St" } },
                    Work = new Address { City = "Bergen" },
                    Previous = { new Address { City = "Rome", Lines = { "old" } } },
                    Scores = { ["math"] = new List<int> { 1, 2 } },
                    Lucky = [7],
                    Grid = [[new Address { City = "Grid" }]],
                    Tags = new List<Tag> { new("t") },
                    Roles = { "admin" },
                    Secret = "s",
                });
            }

            public Task<Order?> OrderAsync(string id) => Task.FromResult<Order?>(new Order(id, new List<string> { "a" }) { Ship = new Address { City = "Ship" } });

            public Task<List<Order>> OrdersAsync(string id) => Task.FromResult(new List<Order> { new(id, new List<string> { "b" }) });

            public Task<Tree> TreeAsync(string id) => Task.FromResult(new Tree());

            public Task<Point> PointAsync(string id) => Task.FromResult(new Point(1));
        }

        public static class Scenario
        {
            public static async Task<string> RunAsync(IMultiLayerCache cache)
            {
                var shop = new Shop();
                IShop cached = new ShopCachingDecorator(shop, cache);

                // Each caller changes everything it can reach in what it got.
                for (var i = 0; i < 3; i++)
                {
                    var p = await cached.ProfileAsync("1");
                    p.Name += "!";
                    p.Home.City += "!";
                    p.Home.Lines.Add("x");
                    p.Work!.City += "!";
                    p.Previous[0].Lines.Add("x");
                    p.Previous.Add(new Address());
                    p.Scores["math"].Add(9);
                    p.Lucky[0] = 0;
                    p.Grid[0][0].City = "changed";
                    ((List<Tag>)p.Tags).Add(new Tag("x"));
                    p.Roles.Add("x");

                    var o = await cached.OrderAsync("1");
                    o!.Items.Add("x");
                    o.Ship.City = "changed";
                }

                var last = await cached.ProfileAsync("1");
                var order = await cached.OrderAsync("1");
                var orders = await cached.OrdersAsync("1");
                orders[0].Items.Add("x");
                var ordersAgain = await cached.OrdersAsync("1");
                var again = await cached.ProfileAsync("1");
                var shared = ReferenceEquals(last, again) || ReferenceEquals(last.Home, again.Home) || ReferenceEquals(last.Scores["math"], again.Scores["math"])
                    || ReferenceEquals(last.Grid[0], again.Grid[0]) || ReferenceEquals(last.Tags, again.Tags);
                return string.Join("|",
                    "loads=" + shop.Loads,
                    last.Name, last.Home.City, string.Join(",", last.Home.Lines), last.Work!.City,
                    last.Previous.Count + ":" + string.Join(",", last.Previous[0].Lines),
                    string.Join(",", last.Scores["math"]), last.Lucky[0], last.Grid[0][0].City,
                    last.Tags.Count, string.Join(",", last.Roles), "secret=" + last.Secret,
                    string.Join(",", order!.Items), order.Ship.City, string.Join(",", ordersAgain[0].Items),
                    "shared=" + shared);
            }
        }
        """;

    /// <summary>The copy is deep: whatever a caller changes in what it got, the next caller gets the stored value.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Changing_anything_in_a_copy_never_changes_what_the_next_caller_gets(bool withRedis)
    {
        await using var cache = await Pods.CreateAsync(withRedis ? redis.Server : null, Pods.UniquePrefix("copies"));
        using var consumer = ConsumerAssembly.Compile(Shapes + Scenario);

        var result = await consumer.RunScenarioAsync(cache);

        // [JsonIgnore] Secret is not copied, as the serializer would not carry it either.
        Assert.Equal("loads=1|n|Oslo|1 Main St|Bergen|1:old|1,2|7|Grid|1|admin|secret=|a|Ship|b|shared=False", result);
    }

    private static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
