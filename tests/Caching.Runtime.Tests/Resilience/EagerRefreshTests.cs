using Caching.Runtime.Tests.Infrastructure;

namespace Caching.Runtime.Tests.Resilience;

[Collection(TimingSensitive.Name)]
public sealed class EagerRefreshTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    // Refresh point at 0.5 s of a 5 s life: the test's waits have seconds of slack on a loaded machine.
    private static readonly CacheEntryOptions Eager = new() { LocalTtl = TimeSpan.FromSeconds(5), RedisTtl = TimeSpan.FromSeconds(5), EagerRefreshThreshold = 0.1 };

    [Fact]
    public async Task A_hit_past_the_threshold_returns_the_cached_value_at_once_and_one_background_load_replaces_it_before_expiry()
    {
        var prefix = CacheFactory.UniquePrefix("eager");
        await using var node = CacheFactory.Create(fixture.Redis, prefix);
        await using var other = CacheFactory.Create(fixture.Redis, prefix);
        var runs = 0;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async ValueTask<string> Load(CancellationToken ct)
        {
            if (Interlocked.Increment(ref runs) == 1)
            {
                return "v1";
            }

            await gate.Task;
            return "v2";
        }

        Assert.Equal("v1", await node.GetOrSetAsync("k", Load, Eager));
        Assert.Equal("v1", await node.GetOrSetAsync("k", Load, Eager));
        Assert.Equal(1, runs);

        await Task.Delay(800);

        // Every hit returns at once although the refresh is blocked; only one of them started it.
        var hits = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => node.GetOrSetAsync("k", Load, Eager).AsTask())));
        Assert.All(hits, v => Assert.Equal("v1", v));
        Assert.Equal(2, await FactoryTimeoutTests.Eventually(() => Task.FromResult(Volatile.Read(ref runs)), 2));

        gate.SetResult();
        Assert.Equal("v2", await FactoryTimeoutTests.Eventually(() => node.GetOrSetAsync("k", Load, Eager).AsTask(), "v2"));
        Assert.Equal("v2", (await other.GetAsync<string>("k")).Value);
        Assert.Equal(2, Volatile.Read(ref runs));
    }

    [Fact]
    public async Task A_node_whose_refresh_finds_a_newer_entry_in_Redis_takes_it_instead_of_running_the_source()
    {
        var prefix = CacheFactory.UniquePrefix("eager2");
        await using var first = CacheFactory.Create(fixture.Redis, prefix);
        await using var second = CacheFactory.Create(fixture.Redis, prefix);
        var runs = 0;
        ValueTask<string> Load(CancellationToken ct) => ValueTask.FromResult("v" + Interlocked.Increment(ref runs));

        Assert.Equal("v1", await first.GetOrSetAsync("k", Load, Eager));
        Assert.Equal("v1", await second.GetOrSetAsync("k", Load, Eager));
        await Task.Delay(800);

        // The first node refreshes from the source; the second node's refresh then finds that entry in Redis.
        Assert.Equal("v1", await first.GetOrSetAsync("k", Load, Eager));
        Assert.Equal("v2", await FactoryTimeoutTests.Eventually(async () => (await first.GetAsync<string>("k")).Value, "v2"));
        Assert.Equal("v1", await second.GetOrSetAsync("k", Load, Eager));
        Assert.Equal("v2", await FactoryTimeoutTests.Eventually(async () => (await second.GetAsync<string>("k")).Value, "v2"));
        Assert.Equal(2, runs);
    }

    [Fact]
    public async Task Get_never_refreshes_and_an_entry_without_a_threshold_is_reloaded_only_after_it_expires()
    {
        await using var node = CacheFactory.Create(fixture.Redis, CacheFactory.UniquePrefix("eager3"));
        var runs = 0;
        ValueTask<string> Load(CancellationToken ct) => ValueTask.FromResult("v" + Interlocked.Increment(ref runs));
        var plain = new CacheEntryOptions { LocalTtl = TimeSpan.FromSeconds(5), RedisTtl = TimeSpan.FromSeconds(5) };

        await node.GetOrSetAsync("eager", Load, Eager);
        await node.GetOrSetAsync("plain", Load, plain);
        await Task.Delay(800);
        Assert.Equal("v1", (await node.GetAsync<string>("eager", Eager)).Value);
        Assert.Equal("v2", await node.GetOrSetAsync("plain", Load, plain));
        await Task.Delay(300);
        Assert.Equal(2, runs);
    }
}
