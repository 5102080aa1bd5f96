using System.Buffers;
using System.Text;
using Caching.Internal;
using Caching.Runtime.Tests.Hybrid;
using Caching.Runtime.Tests.Infrastructure;
using Caching.Testing;
using Microsoft.Extensions.Caching.Hybrid;

namespace Caching.Runtime.Tests.Serialization;

/// <summary>[CacheSerializer] on a value type: the type's own serializer, over a real Redis.</summary>
public sealed class DeclaredSerializerTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    private static readonly CacheEntryOptions RedisOnly = new() { SkipLocal = true };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_type_that_names_its_serializer_is_written_and_read_by_it_with_or_without_other_registrations(bool otherTypeRegistered)
    {
        var prefix = CacheFactory.UniquePrefix("declared");
        await using var cache = CacheFactory.Create(fixture.Redis, prefix, o =>
        {
            if (otherTypeRegistered)
            {
                o.Serializers.Add(new MarkedSerializer<MutableProfile>("other:"));
            }
        });

        await cache.SetAsync("k", new Declared { Text = "hello" }, RedisOnly);
        await cache.SetAsync("plain", new UserProfile("1", "json", 1), RedisOnly);

        Assert.Equal("declared:hello", await PayloadAsync(prefix, "k"));
        Assert.Equal("hello", (await cache.GetAsync<Declared>("k", RedisOnly)).Value!.Text);
        Assert.StartsWith("{\"id\":\"1\"", await PayloadAsync(prefix, "plain"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_serializer_the_application_registers_for_the_type_wins_over_the_declared_one()
    {
        var prefix = CacheFactory.UniquePrefix("declared-override");
        await using var cache = CacheFactory.Create(fixture.Redis, prefix, o => o.Serializers.Add(new MarkedSerializer<Declared>("app:")));

        await cache.SetAsync("k", new Declared { Text = "x" }, RedisOnly);

        Assert.StartsWith("app:", await PayloadAsync(prefix, "k"), StringComparison.Ordinal);
        Assert.Equal("x", (await cache.GetAsync<Declared>("k", RedisOnly)).Value!.Text);
    }

    [Fact]
    public async Task An_entry_the_JSON_default_wrote_before_the_type_declared_a_serializer_is_a_miss_not_a_misread()
    {
        var prefix = CacheFactory.UniquePrefix("declared-switch");
        await using var json = CacheFactory.Create(fixture.Redis, prefix, o => o.Serializers.Add<Declared>(new SystemTextJsonCacheSerializer()));
        await json.SetAsync("k", new Declared { Text = "old" }, RedisOnly);
        await using var declared = CacheFactory.Create(fixture.Redis, prefix);

        var read = await declared.GetOrSetAsync("k", _ => ValueTask.FromResult(new Declared { Text = "reloaded" }), RedisOnly);

        Assert.Equal("reloaded", read.Text);
        Assert.Equal("declared:reloaded", await PayloadAsync(prefix, "k"));
    }

    [Fact]
    public async Task A_declared_serializer_that_cannot_serve_the_type_is_a_clear_error_naming_both_types()
    {
        await using var cache = CacheFactory.Create(fixture.Redis, CacheFactory.UniquePrefix("declared-wrong"));

        var error = await Assert.ThrowsAsync<CacheConfigurationException>(() => cache.SetAsync("k", new WronglyDeclared(), RedisOnly).AsTask());

        Assert.Contains(nameof(WronglyDeclared), error.Message, StringComparison.Ordinal);
        Assert.Contains("does not implement IHybridCacheSerializer", error.Message, StringComparison.Ordinal);
    }

    private async Task<string> PayloadAsync(string prefix, string key)
    {
        await using var connection = await fixture.Redis.ConnectAsync();
        var bytes = (byte[])(await connection.GetDatabase().StringGetAsync(prefix + ":" + key))!;
        return Encoding.UTF8.GetString(bytes.AsSpan(CacheEnvelope.PayloadOffset(bytes)));
    }

    [CacheSerializer(typeof(DeclaredSerializer))]
    public sealed class Declared
    {
        public string Text { get; set; } = "";
    }

    [CacheSerializer(typeof(DeclaredSerializer))]
    public sealed class WronglyDeclared;

    /// <summary>Writes "declared:" and the text: bytes no JSON serializer would write.</summary>
    public sealed class DeclaredSerializer : IHybridCacheSerializer<Declared>
    {
        public void Serialize(Declared value, IBufferWriter<byte> target) => target.Write(Encoding.UTF8.GetBytes("declared:" + value.Text));

        public Declared Deserialize(ReadOnlySequence<byte> source)
        {
            var text = Encoding.UTF8.GetString(source.ToArray());
            return text.StartsWith("declared:", StringComparison.Ordinal)
                ? new Declared { Text = text["declared:".Length..] }
                : throw new FormatException("Not written by the declared serializer.");
        }
    }
}
