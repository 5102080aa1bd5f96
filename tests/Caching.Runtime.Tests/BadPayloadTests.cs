using Caching.Runtime.Tests.Infrastructure;

namespace Caching.Runtime.Tests;

/// <summary>DESIGN invariant 4: bad bytes in Redis are a miss (counted, logged, deleted, reloaded), never an exception.</summary>
public sealed class BadPayloadTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    public static TheoryData<string, byte[]> Payloads => new()
    {
        { "corrupted", [0xCA, 0x01, 0x00, 0x00, 0x01, 0x02, 0x03, 0x04, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, (byte)'{', (byte)'x'] },
        { "foreign", "{\"id\":\"1\",\"name\":\"written by another app\"}"u8.ToArray() },
        { "truncated", [0xCA, 0x01] },
        { "empty", [] },
    };

    [Theory]
    [MemberData(nameof(Payloads))]
    public async Task Unreadable_bytes_are_a_counted_logged_deleted_miss(string kind, byte[] bytes)
    {
        var prefix = CacheFactory.UniquePrefix("bad-" + kind);
        var logger = new ListLogger<MultiLayerCache>();
        await using var cache = CacheFactory.Create(fixture.Redis, prefix, logger: logger);
        await using var redis = await fixture.Redis.ConnectAsync();
        await redis.GetDatabase().StringSetAsync(prefix + ":user:1", bytes);

        var value = await cache.GetOrSetAsync("user:1", _ => ValueTask.FromResult(new UserProfile("1", "fresh", 5)));

        Assert.Equal("fresh", value.Name);
        Assert.Equal(1, cache.Stats().BadPayloads);
        Assert.True(logger.Has(6), "a bad payload is logged");
        var stored = (byte[]?)await redis.GetDatabase().StringGetAsync(prefix + ":user:1");
        Assert.NotNull(stored);
        Assert.Equal(0xCA, stored![0]);
        Assert.Equal("fresh", (await CacheFactory.Create(fixture.Redis, prefix).GetAsync<UserProfile>("user:1")).Value!.Name);
    }

    [Fact]
    public async Task An_entry_written_for_another_type_is_a_miss()
    {
        var prefix = CacheFactory.UniquePrefix("type");
        await using var writer = CacheFactory.Create(fixture.Redis, prefix);
        await using var reader = CacheFactory.Create(fixture.Redis, prefix);
        await writer.SetAsync("k", new MutableProfile { Id = "x" });

        var read = await reader.GetAsync<UserProfile>("k");

        Assert.False(read.Found);
        Assert.Equal(1, reader.Stats().BadPayloads);
    }

    [Fact]
    public async Task An_entry_of_an_older_format_version_or_schema_is_a_miss_and_reloaded()
    {
        var prefix = CacheFactory.UniquePrefix("version");
        await using var v1 = CacheFactory.Create(fixture.Redis, prefix);
        await v1.SetAsync("k", new UserProfile("1", "old schema", 1), new CacheEntryOptions { SchemaTag = "aaaa0001" });
        await using var redis = await fixture.Redis.ConnectAsync();
        var bytes = (byte[])(await redis.GetDatabase().StringGetAsync(prefix + ":k"))!;
        var olderVersion = (byte[])bytes.Clone();
        olderVersion[1] = 0;
        await redis.GetDatabase().StringSetAsync(prefix + ":other-version", olderVersion);

        await using var v2 = CacheFactory.Create(fixture.Redis, prefix);
        var newSchema = new CacheEntryOptions { SchemaTag = "bbbb0002" };
        var reloaded = await v2.GetOrSetAsync("k", _ => ValueTask.FromResult(new UserProfile("1", "new schema", 2)), newSchema);
        var versionReloaded = await v2.GetOrSetAsync("other-version", _ => ValueTask.FromResult(new UserProfile("1", "reloaded", 3)), new CacheEntryOptions { SchemaTag = "aaaa0001" });

        Assert.Equal("new schema", reloaded.Name);
        Assert.Equal("reloaded", versionReloaded.Name);
        Assert.Equal(2, v2.Stats().BadPayloads);
    }
}
