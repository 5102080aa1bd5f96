using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Caching.Internal;
using Caching.Runtime.Tests.Hybrid;
using Caching.Runtime.Tests.Infrastructure;
using Caching.Testing;
using Microsoft.Extensions.Caching.Hybrid;

namespace Caching.Runtime.Tests.Serialization;

/// <summary>MultiLayerCacheOptions.Serializers: the serializer chosen per value type, over a real Redis.</summary>
public sealed class PerTypeSerializerTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task A_type_with_its_own_serializer_is_written_and_read_by_it_and_the_other_types_stay_JSON()
    {
        var marked = new MarkedSerializer<MutableProfile>("marked:");
        var prefix = CacheFactory.UniquePrefix("per-type");
        await using var cache = CacheFactory.Create(fixture.Redis, prefix, o => o.Serializers.Add(marked));

        await cache.SetAsync("mutable", new MutableProfile { Id = "1", Roles = ["admin"] });
        await cache.SetAsync("record", new UserProfile("2", "json", 1));
        var hit = await cache.GetAsync<MutableProfile>("mutable");

        Assert.Equal(["admin"], hit.Value!.Roles);
        Assert.Equal(1, marked.Serialized);
        Assert.Equal(1, marked.Deserialized);
        Assert.StartsWith("marked:", await PayloadAsync(fixture.Redis, prefix, "mutable"), StringComparison.Ordinal);
        Assert.StartsWith("{\"id\":\"2\"", await PayloadAsync(fixture.Redis, prefix, "record"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_serializer_for_every_type_can_be_chosen_for_one_type()
    {
        var prefix = CacheFactory.UniquePrefix("general");
        await using var cache = CacheFactory.Create(fixture.Redis, prefix, o => o.Serializers.Add<UserProfile>(new PascalCaseSerializer()));

        await cache.SetAsync("record", new UserProfile("2", "pascal", 1));
        await cache.SetAsync("other", new MutableProfile { Id = "3" });

        Assert.StartsWith("{\"Id\":\"2\"", await PayloadAsync(fixture.Redis, prefix, "record"), StringComparison.Ordinal);
        Assert.StartsWith("{\"id\":\"3\"", await PayloadAsync(fixture.Redis, prefix, "other"), StringComparison.Ordinal);
        Assert.Equal("pascal", (await cache.GetAsync<UserProfile>("record", new CacheEntryOptions { SkipLocal = true })).Value!.Name);
    }

    [Fact]
    public async Task Factories_are_asked_last_added_first_after_the_serializer_for_exactly_the_type()
    {
        var early = new MarkedSerializerFactory("early:", _ => true);
        var late = new MarkedSerializerFactory("late:", t => t != typeof(List<int>));
        var exact = new MarkedSerializer<UserProfile>("exact:");
        var prefix = CacheFactory.UniquePrefix("factories");
        await using var cache = CacheFactory.Create(fixture.Redis, prefix, o => o.Serializers.AddFactory(early).AddFactory(late).Add(exact));

        await cache.SetAsync("profile", new UserProfile("1", "n", 1));
        await cache.SetAsync("mutable", new MutableProfile { Id = "1" });
        await cache.SetAsync("list", new List<int> { 1 });

        Assert.StartsWith("exact:", await PayloadAsync(fixture.Redis, prefix, "profile"), StringComparison.Ordinal);
        Assert.StartsWith("late:", await PayloadAsync(fixture.Redis, prefix, "mutable"), StringComparison.Ordinal);
        Assert.StartsWith("early:", await PayloadAsync(fixture.Redis, prefix, "list"), StringComparison.Ordinal);
        Assert.Null(late.CreatedFor<UserProfile>());
        Assert.Null(early.CreatedFor<MutableProfile>());
    }

    [Fact]
    public async Task An_entry_written_by_another_serializer_is_a_miss_never_a_misread()
    {
        // Web JSON (camelCase) and case-sensitive PascalCase JSON would each "read" the other's bytes without an
        // error, into an object with empty members: the misread a serializer change must not cause.
        var prefix = CacheFactory.UniquePrefix("switch");
        await using var before = CacheFactory.Create(fixture.Redis, prefix);
        await using var after = CacheFactory.Create(fixture.Redis, prefix, o => o.Serializers.Add<MutableProfile>(new PascalCaseSerializer()));
        await before.SetAsync("k", new MutableProfile { Id = "written before", Roles = ["a"] });

        var read = await after.GetOrSetAsync("k", _ => ValueTask.FromResult(new MutableProfile { Id = "reloaded" }));

        Assert.Equal("reloaded", read.Id);
        Assert.Equal(1, after.Stats().BadPayloads);
        Assert.StartsWith("{\"Id\":\"reloaded\"", await PayloadAsync(fixture.Redis, prefix, "k"), StringComparison.Ordinal);

        // And back: a node still on the old serializer misses the new entry too, rather than reading it as empty.
        await using var stillBefore = CacheFactory.Create(fixture.Redis, prefix);
        var readBack = await stillBefore.GetOrSetAsync("k", _ => ValueTask.FromResult(new MutableProfile { Id = "reloaded by the old node" }));
        Assert.Equal("reloaded by the old node", readBack.Id);
        Assert.Equal(1, stillBefore.Stats().BadPayloads);
    }

    [Fact]
    public async Task The_default_serializer_keeps_the_type_tag_entries_had_before_serializers_were_chosen_per_type()
    {
        var prefix = CacheFactory.UniquePrefix("compat");
        await using var implicitDefault = CacheFactory.Create(fixture.Redis, prefix);
        await using var explicitDefault = CacheFactory.Create(fixture.Redis, prefix, o => o.Serializer = new SystemTextJsonCacheSerializer());
        await implicitDefault.SetAsync("k", new UserProfile("1", "n", 1));

        var bytes = await BytesAsync(fixture.Redis, prefix, "k");
        Assert.Equal(TypeTag.Compute(typeof(UserProfile), null), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(TypeTag.Compute(typeof(UserProfile), null), TypeTag.Compute(typeof(UserProfile), null, null));
        Assert.NotEqual(TypeTag.Compute(typeof(UserProfile), null), TypeTag.Compute(typeof(UserProfile), null, "Some.Serializer"));
        Assert.Equal("n", (await explicitDefault.GetAsync<UserProfile>("k")).Value!.Name);
    }

    [Fact]
    public async Task A_cache_reads_the_registry_once_when_it_is_created()
    {
        var options = CacheFactory.Options(fixture.Redis, CacheFactory.UniquePrefix("snapshot"));
        await using var cache = new MultiLayerCache(options);
        options.Serializers.Add(new MarkedSerializer<MutableProfile>("late:"));

        await cache.SetAsync("k", new MutableProfile { Id = "1" });

        Assert.StartsWith("{", await PayloadAsync(fixture.Redis, options.KeyPrefix, "k"), StringComparison.Ordinal);
    }

    [Fact]
    public void Registrations_must_name_a_serializer()
    {
        var registry = new CacheSerializerRegistry();

        Assert.Throws<ArgumentNullException>(() => registry.Add<UserProfile>((IHybridCacheSerializer<UserProfile>)null!));
        Assert.Throws<ArgumentNullException>(() => registry.Add<UserProfile>((ICacheSerializer)null!));
        Assert.Throws<ArgumentNullException>(() => registry.AddFactory(null!));
    }

    private static async Task<byte[]> BytesAsync(RedisServer redis, string prefix, string key)
    {
        await using var connection = await redis.ConnectAsync();
        return (byte[])(await connection.GetDatabase().StringGetAsync(prefix + ":" + key))!;
    }

    private static async Task<string> PayloadAsync(RedisServer redis, string prefix, string key)
    {
        var bytes = await BytesAsync(redis, prefix, key);
        return Encoding.UTF8.GetString(bytes.AsSpan(CacheEnvelope.PayloadOffset(bytes)));
    }

    /// <summary>System.Text.Json with its case-sensitive PascalCase defaults: a real serializer of another contract than the cache's web default.</summary>
    private sealed class PascalCaseSerializer : ICacheSerializer
    {
        private static readonly JsonSerializerOptions Options = new();

        public void Serialize<T>(IBufferWriter<byte> destination, T value)
        {
            using var writer = new Utf8JsonWriter(destination);
            JsonSerializer.Serialize(writer, value, Options);
        }

        public T Deserialize<T>(ReadOnlySpan<byte> source) => JsonSerializer.Deserialize<T>(source, Options)!;
    }
}
