using Caching.Runtime.Tests.Infrastructure;

namespace Caching.Runtime.Tests;

public sealed class BoundsAndFailSafeTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task L1_is_bounded_by_the_byte_size_of_its_entries()
    {
        await using var cache = CacheFactory.Create(null, CacheFactory.UniquePrefix("bounded"), o => o.LocalSizeMb = 1);
        var value = new string('x', 10_000);

        for (var i = 0; i < 300; i++)
        {
            await cache.SetAsync("big:" + i, value);
        }

        await Task.Delay(200);
        var size = cache.Stats().LocalSizeBytes;
        Assert.InRange(size, 1, 1024 * 1024);
        Assert.True(size > 500_000, $"L1 holds {size} bytes; it should fill most of its 1 MB budget");
        var found = 0;
        for (var i = 0; i < 300; i++)
        {
            found += (await cache.GetAsync<string>("big:" + i)).Found ? 1 : 0;
        }

        Assert.InRange(found, 40, 110);
    }

    [Fact]
    public async Task Values_over_MaxValueBytes_are_returned_but_not_cached_with_a_warning()
    {
        var logger = new ListLogger<MultiLayerCache>();
        var prefix = CacheFactory.UniquePrefix("toolarge");
        await using var cache = CacheFactory.Create(fixture.Redis, prefix, o => o.MaxValueBytes = 1000, logger);
        var calls = 0;
        ValueTask<string> Load(CancellationToken ct)
        {
            calls++;
            return ValueTask.FromResult(new string('y', 2000));
        }

        Assert.Equal(2000, (await cache.GetOrSetAsync("k", Load)).Length);
        Assert.Equal(2000, (await cache.GetOrSetAsync("k", Load)).Length);
        Assert.Equal(2, calls);
        Assert.True(logger.Has(7), "the oversize value is logged");
        await using var connection = await fixture.Redis.ConnectAsync();
        Assert.False(await connection.GetDatabase().KeyExistsAsync(prefix + ":k"));
        Assert.Equal("small", await cache.GetOrSetAsync("s", _ => ValueTask.FromResult("small")));
        Assert.Equal(CacheTier.Local, (await cache.GetAsync<string>("s")).Tier);
    }

    [Fact]
    public async Task Fail_safe_serves_the_stale_value_when_the_source_fails_and_logs_it()
    {
        var logger = new ListLogger<MultiLayerCache>();
        var prefix = CacheFactory.UniquePrefix("failsafe");
        await using var cache = CacheFactory.Create(fixture.Redis, prefix, null, logger);
        var shortLived = new CacheEntryOptions { LocalTtl = TimeSpan.FromMilliseconds(200), RedisTtl = TimeSpan.FromMilliseconds(300), FailSafe = true };
        await cache.GetOrSetAsync("price", _ => ValueTask.FromResult(100), shortLived);
        await Task.Delay(400);

        var served = await cache.GetOrSetAsync<int>("price", _ => throw new TimeoutException("database down"), shortLived);

        Assert.Equal(100, served);
        Assert.True(logger.Has(8), "fail-safe use is logged");
        Assert.Equal(101, await cache.GetOrSetAsync("price", _ => ValueTask.FromResult(101), shortLived));
    }

    [Fact]
    public async Task Fail_safe_off_for_an_entry_lets_the_source_failure_through()
    {
        await using var cache = CacheFactory.Create(fixture.Redis, CacheFactory.UniquePrefix("nofailsafe"));
        var entry = new CacheEntryOptions { LocalTtl = TimeSpan.FromMilliseconds(100), RedisTtl = TimeSpan.FromMilliseconds(150), FailSafe = false };
        await cache.GetOrSetAsync("price", _ => ValueTask.FromResult(100), entry);
        await Task.Delay(300);

        await Assert.ThrowsAsync<TimeoutException>(async () => await cache.GetOrSetAsync<int>("price", _ => throw new TimeoutException("database down"), entry));
    }

    [Fact]
    public async Task Profiles_from_configuration_supply_entry_defaults_and_an_unknown_profile_is_a_clear_error()
    {
        await using var cache = CacheFactory.Create(fixture.Redis, CacheFactory.UniquePrefix("profile"), o =>
            o.Profiles["fast-changing"] = new CacheProfile { LocalTtl = TimeSpan.FromMilliseconds(100), SkipRedis = true });
        var calls = 0;
        ValueTask<int> Load(CancellationToken ct) => ValueTask.FromResult(++calls);
        var fast = new CacheEntryOptions { Profile = "fast-changing" };

        await cache.GetOrSetAsync("p", Load, fast);
        Assert.Equal(1, await cache.GetOrSetAsync("p", Load, fast));
        await Task.Delay(250);
        Assert.Equal(2, await cache.GetOrSetAsync("p", Load, fast));
        Assert.Equal(0, cache.Stats().RedisHits);

        var error = await Assert.ThrowsAsync<CacheConfigurationException>(async () => await cache.GetOrSetAsync("q", Load, new CacheEntryOptions { Profile = "nope" }));
        Assert.Contains("nope", error.Message, StringComparison.Ordinal);
    }
}
