using System.Text.Json.Serialization;
using Caching.Runtime.Tests.Infrastructure;

namespace Caching.Runtime.Tests;

/// <summary>
/// <see cref="CacheEntryOptions.Copier"/>: an L1 hit of a mutable value gets a copy made by the copier, never the
/// cached instance, and never bytes through the serializer; followers of one load copy an instance the leader does not
/// hold. Against a real redis-server where Redis is involved.
/// </summary>
public sealed class CopierTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task Hits_get_copies_from_the_copier_and_what_a_caller_changes_never_reaches_the_next_one()
    {
        await using var cache = CacheFactory.Create(null, CacheFactory.UniquePrefix("copier"));
        var copies = 0;
        var options = new CacheEntryOptions { Sharing = ValueSharing.Copy, Copier = new CacheValueCopier<Basket>(b => { copies++; return b.Copy(); }) };

        var first = await cache.GetOrSetAsync("basket:1", _ => new ValueTask<Basket>(new Basket { Items = ["a"] }), options);
        first.Items.Add("changed by the first caller");
        var second = await cache.GetOrSetAsync<Basket>("basket:1", _ => throw new InvalidOperationException("a hit"), options);
        second.Items.Add("changed by the second caller");
        var third = cache.GetOrSet<int, Basket>("basket:1", 0, _ => throw new InvalidOperationException("a hit"), options);

        Assert.Equal(["a"], third.Items);
        Assert.NotSame(second, third);
        Assert.NotSame(second.Items, third.Items);

        // The first caller keeps the instance the source made; L1 keeps a copy, the load one more for its followers
        // (made before the first caller gets its value), and each hit gets its own.
        Assert.Equal(4, copies);
    }

    [Fact]
    public async Task A_hit_of_a_copied_value_never_deserializes()
    {
        await using var cache = CacheFactory.Create(null, CacheFactory.UniquePrefix("copier"));
        var copied = new CacheEntryOptions { Copier = new CacheValueCopier<Undeserializable>(u => new Undeserializable(u.Name)) };

        // Auto resolves to copying (the type is mutable), and its JSON converter cannot read what it wrote.
        var made = await cache.GetOrSetAsync("u:1", _ => new ValueTask<Undeserializable>(new Undeserializable("n")), copied);
        var hit = await cache.GetOrSetAsync<Undeserializable>("u:1", _ => throw new InvalidOperationException("a hit"), copied);
        Assert.Equal("n", hit.Name);
        Assert.NotSame(made, hit);

        // The control: without the copier the same hit deserializes, fails, and is a miss that runs the source.
        var loads = 0;
        var deserialized = new CacheEntryOptions();
        await cache.GetOrSetAsync("u:2", _ => new ValueTask<Undeserializable>(new Undeserializable("n" + ++loads)), deserialized);
        await cache.GetOrSetAsync("u:2", _ => new ValueTask<Undeserializable>(new Undeserializable("n" + ++loads)), deserialized);
        Assert.Equal(2, loads);
    }

    [Fact]
    public async Task Without_a_copier_of_the_value_type_hits_are_deserialized_as_before()
    {
        await using var cache = CacheFactory.Create(null, CacheFactory.UniquePrefix("copier"));
        var options = new CacheEntryOptions { Sharing = ValueSharing.Copy, Copier = new CacheValueCopier<string>(s => throw new InvalidOperationException("never called")) };

        var made = await cache.GetOrSetAsync("basket:2", _ => new ValueTask<Basket>(new Basket { Items = ["x"] }), options);
        made.Items.Clear();
        var hit = await cache.GetOrSetAsync<Basket>("basket:2", _ => throw new InvalidOperationException("a hit"), options);

        Assert.Equal(["x"], hit.Items);
    }

    /// <summary>
    /// The leader of a load changes its instance at once; the followers' copies are made slowly (a delay inside the
    /// copier). They must copy an instance made before anyone got the value, or they copy the leader's change.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Followers_of_one_load_copy_an_instance_the_leader_does_not_hold(int seed)
    {
        await using var cache = CacheFactory.Create(fixture.Redis, CacheFactory.UniquePrefix("copier"));
        var random = new Random(seed);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var made = new List<Basket>();
        var options = new CacheEntryOptions
        {
            Sharing = ValueSharing.Copy,
            Copier = new CacheValueCopier<Basket>(b =>
            {
                int delay;
                lock (random)
                {
                    delay = random.Next(1, 4);
                }

                Thread.Sleep(delay);
                return b.Copy();
            }),
        };

        var callers = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            var basket = await cache.GetOrSetAsync("basket:flight", async _ =>
            {
                await gate.Task;
                var fresh = new Basket { Items = ["original"] };
                lock (made)
                {
                    made.Add(fresh);
                }

                return fresh;
            }, options);
            var seen = basket.Items.ToArray();
            basket.Items.Add("changed by caller " + i);
            return (basket, seen);
        })).ToArray();

        await Task.Delay(50);
        gate.SetResult();
        var results = await Task.WhenAll(callers);

        Assert.Single(made);
        Assert.All(results, r => Assert.Equal(["original"], r.seen));
        Assert.Single(results, r => ReferenceEquals(r.basket, made[0]));
        Assert.Equal(8, results.Select(r => r.basket).Distinct().Count());
    }

    [Fact]
    public void A_copier_needs_a_function()
    {
        Assert.Throws<ArgumentNullException>(() => new CacheValueCopier<Basket>(null!));
    }

    public sealed class Basket
    {
        public List<string> Items { get; set; } = [];

        public Basket Copy() => new() { Items = [.. Items] };
    }

    [JsonConverter(typeof(WriteOnlyConverter))]
    public sealed class Undeserializable(string name)
    {
        public string Name { get; set; } = name;
    }

    private sealed class WriteOnlyConverter : JsonConverter<Undeserializable>
    {
        public override Undeserializable Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options) =>
            throw new NotSupportedException("this type is never read back");

        public override void Write(System.Text.Json.Utf8JsonWriter writer, Undeserializable value, System.Text.Json.JsonSerializerOptions options) =>
            writer.WriteStringValue(value.Name);
    }
}
