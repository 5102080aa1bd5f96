using System.Text.Json;
using Caching.Testing;
using MemoryPack;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Caching.Serialization.MemoryPack.Tests;

/// <summary>
/// The MemoryPack serializer inside the real cache: values round-trip through L1 and a real redis-server as MemoryPack
/// bytes, and bytes it cannot read are a miss reloaded from the source (DESIGN invariant 4), never an exception.
/// </summary>
public sealed class MemoryPackCacheTests : IDisposable
{
    private static readonly GpuInstance Gpu = new("gpu-00042", "eu-west", 80, new DateTime(2024, 5, 1, 12, 34, 56, DateTimeKind.Utc));

    private readonly RedisServer _redis = new();
    private readonly string _prefix = "mp-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task An_immutable_value_is_shared_from_L1_and_read_back_from_Redis_as_MemoryPack_bytes()
    {
        await using var writer = await CreateAsync();
        await using var reader = await CreateAsync();
        var loads = 0;
        ValueTask<GpuInstance> Load(CancellationToken _)
        {
            loads++;
            return ValueTask.FromResult(Gpu);
        }

        var first = await writer.GetOrSetAsync("gpu:42", Load);
        var fromLocal = await writer.GetOrSetAsync("gpu:42", Load);
        var fromRedis = await reader.GetAsync<GpuInstance>("gpu:42");

        Assert.Equal(1, loads);
        Assert.Same(first, fromLocal);
        Assert.Equal(CacheTier.Redis, fromRedis.Tier);
        Assert.Equal(Gpu, fromRedis.Value);

        // The entry is the cache's header, then exactly MemoryPack's bytes of the value.
        var stored = await RawAsync("gpu:42");
        var payload = MemoryPackSerializer.Serialize(Gpu);
        Assert.True(stored.AsSpan().EndsWith(payload), "Redis holds the MemoryPack payload");
        Assert.True(payload.Length < JsonSerializer.SerializeToUtf8Bytes(Gpu).Length, $"{payload.Length} bytes of MemoryPack vs JSON");
    }

    [Fact]
    public async Task A_mutable_value_gets_a_fresh_copy_on_every_L1_hit()
    {
        await using var cache = await CreateAsync();
        var quota = new MutableQuota { Tenant = "acme", Limits = [1, 2, 3] };

        var first = await cache.GetOrSetAsync("quota:acme", _ => ValueTask.FromResult(quota));
        first.Limits.Add(99);
        var second = await cache.GetOrSetAsync("quota:acme", _ => ValueTask.FromResult(new MutableQuota()));
        var third = await cache.GetOrSetAsync("quota:acme", _ => ValueTask.FromResult(new MutableQuota()));

        Assert.Equal(2, cache.Stats().LocalHits);
        Assert.NotSame(second, third);
        Assert.Equal("acme", second.Tenant);
        Assert.Equal([1, 2, 3], second.Limits);
        Assert.Equal([1, 2, 3], third.Limits);
    }

    public static TheoryData<string> Damage => ["truncated", "trailing bytes", "member count", "json"];

    [Theory]
    [MemberData(nameof(Damage))]
    public async Task Bytes_it_cannot_read_are_a_miss_reloaded_from_the_source_and_replaced(string damage)
    {
        await using (var writer = await CreateAsync())
        {
            await writer.SetAsync("gpu:7", Gpu);
        }

        var stored = await RawAsync("gpu:7");
        var payload = MemoryPackSerializer.Serialize(Gpu);
        var header = stored[..^payload.Length];
        byte[] damaged = damage switch
        {
            "truncated" => [.. header, .. payload[..^3]],
            "trailing bytes" => [.. header, .. payload, 0x01, 0x02],
            "member count" => [.. header, 200, .. payload[1..]],
            _ => [.. header, .. JsonSerializer.SerializeToUtf8Bytes(Gpu)],
        };
        await WriteRawAsync("gpu:7", damaged);

        await using var reader = await CreateAsync();
        var reloaded = Gpu with { Region = "reloaded" };
        var value = await reader.GetOrSetAsync("gpu:7", _ => ValueTask.FromResult(reloaded));

        Assert.Equal(reloaded, value);
        Assert.Equal(1, reader.Stats().BadPayloads);
        Assert.Equal(1, reader.Stats().SourceHits);
        await using var third = await CreateAsync();
        Assert.Equal(reloaded, (await third.GetAsync<GpuInstance>("gpu:7")).Value);
    }

    [Fact]
    public async Task A_value_MemoryPack_cannot_write_is_returned_uncached()
    {
        await using var cache = await CreateAsync();
        var loads = 0;

        for (var i = 0; i < 3; i++)
        {
            var value = await cache.GetOrSetAsync("plain", _ => ValueTask.FromResult(new PlainValue { Text = "v" + ++loads }));
            Assert.Equal("v" + loads, value.Text);
        }

        Assert.Equal(3, loads);
        Assert.False((await cache.GetAsync<PlainValue>("plain")).Found);
    }

    [Fact]
    public async Task UseMemoryPack_selects_the_serializer_for_a_cache_built_from_configuration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cache:KeyPrefix"] = _prefix,
            ["CACHE_REDIS_CONNECTION"] = _redis.ConnectionString,
        }).Build();
        var services = new ServiceCollection().AddMultiLayerCache(configuration, o => o.UseMemoryPack());
        await using var provider = services.BuildServiceProvider();
        var cache = provider.GetRequiredService<MultiLayerCache>();
        Assert.True(await cache.ProbeRedisAsync());

        await cache.SetAsync("gpu:1", Gpu);

        Assert.IsType<MemoryPackCacheSerializer>(cache.Options.Serializer);
        Assert.True((await RawAsync("gpu:1")).AsSpan().EndsWith(MemoryPackSerializer.Serialize(Gpu)));
    }

    [Fact]
    public void The_serializer_alone_rejects_foreign_and_oversized_input_with_an_ArgumentException()
    {
        var serializer = new MemoryPackCacheSerializer();
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        serializer.Serialize(buffer, Gpu);

        Assert.Equal(Gpu, serializer.Deserialize<GpuInstance>(buffer.WrittenSpan));
        Assert.Throws<ArgumentException>(() => serializer.Deserialize<GpuInstance>(JsonSerializer.SerializeToUtf8Bytes(Gpu)));
        Assert.Throws<ArgumentException>(() => serializer.Deserialize<int>([1, 0, 0, 0, 0]));
        Assert.Equal(1, serializer.Deserialize<int>([1, 0, 0, 0]));
        Assert.Throws<NotSupportedException>(() => serializer.Serialize(buffer, new PlainValue()));
    }

    public void Dispose() => _redis.Dispose();

    private async Task<MultiLayerCache> CreateAsync()
    {
        var cache = new MultiLayerCache(new MultiLayerCacheOptions
        {
            KeyPrefix = _prefix,
            RedisConnection = _redis.ConnectionString,
            RedisTimeout = TimeSpan.FromSeconds(2),
        }.UseMemoryPack());
        Assert.True(await cache.ProbeRedisAsync(), "Redis answers before the test starts");
        return cache;
    }

    private async Task<byte[]> RawAsync(string key)
    {
        await using var connection = await _redis.ConnectAsync();
        var bytes = (byte[]?)await connection.GetDatabase().StringGetAsync(_prefix + ":" + key);
        Assert.NotNull(bytes);
        return bytes;
    }

    private async Task WriteRawAsync(string key, byte[] bytes)
    {
        await using var connection = await _redis.ConnectAsync();
        Assert.True(await connection.GetDatabase().StringSetAsync(_prefix + ":" + key, bytes, TimeSpan.FromMinutes(1), When.Exists));
    }
}
