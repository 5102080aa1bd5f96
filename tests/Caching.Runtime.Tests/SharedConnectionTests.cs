using Caching.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Caching.Runtime.Tests;

/// <summary>
/// The cache on the application's own <see cref="IConnectionMultiplexer"/> (as Aspire's <c>AddRedisClient</c> registers
/// it), against a real redis-server: no connection of its own, values and invalidations flow, and the application's
/// connection outlives the cache.
/// </summary>
public sealed class SharedConnectionTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task A_registered_multiplexer_carries_the_cache_without_a_connection_more()
    {
        var prefix = CacheFactory.UniquePrefix("shared");
        await using var other = CacheFactory.Create(fixture.Redis, prefix, o => o.RedisConnection += ",name=other-node");
        await using var app = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.ConnectionString + ",name=the-app");
        Assert.Equal(2, await ClientsAsync("the-app"));

        await using (var provider = Provider(app, prefix))
        {
            var cache = provider.GetRequiredService<MultiLayerCache>();
            await ReadyAsync(cache);
            var loads = 0;

            // Values flow both ways through Redis.
            Assert.Equal("v1", await cache.GetOrSetAsync("item:1", _ => new ValueTask<string>("v" + ++loads)));
            Assert.Equal("v1", await other.GetOrSetAsync("item:1", _ => new ValueTask<string>("other")));
            await other.SetAsync("item:2", "from-other");
            Assert.Equal("from-other", (await cache.GetAsync<string>("item:2")).Value);

            // The backplane subscription on the shared connection evicts this node's L1 when another node invalidates.
            await other.RemoveAsync("item:1");
            // A reload within the clock's error of the removal is returned but not stored (invalidation readme), so the
            // check is that the reload happened and that one reload reached the other node through Redis.
            await Eventually.HoldsAsync(
                async () =>
                {
                    var reloaded = await cache.GetOrSetAsync("item:1", _ => new ValueTask<string>("v" + ++loads));
                    return reloaded != "v1" && (await other.GetAsync<string>("item:1")).Value == reloaded;
                },
                TimeSpan.FromSeconds(5),
                "the shared-connection node reloading after the other node's removal, and the other node reading that reload");

            // And its own invalidations reach the other node.
            await cache.InvalidatePatternAsync("item:*");
            await Eventually.HoldsAsync(async () => await other.GetOrSetAsync("item:1", _ => new ValueTask<string>("reloaded")) == "reloaded", TimeSpan.FromSeconds(5), "the other node reloading after the shared-connection node's invalidation");

            // CLIENT LIST: the application's two connections (interactive and subscription), none of the cache's.
            Assert.Equal(2, await ClientsAsync("the-app"));
            Assert.Equal(0, await ClientsAsync(prefix + "-cache"));
        }

        Assert.True(app.IsConnected);
        await app.GetDatabase().PingAsync();
    }

    [Fact]
    public async Task Opting_out_opens_the_cache_s_own_connections_beside_the_application_s()
    {
        var prefix = CacheFactory.UniquePrefix("own");
        await using var app = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.ConnectionString + ",name=the-app");

        await using var provider = Provider(app, prefix, useRegistered: "false");
        var cache = provider.GetRequiredService<MultiLayerCache>();
        await ReadyAsync(cache);

        // One interactive and one subscription connection of its own: what sharing saves.
        Assert.Equal(2, await ClientsAsync(prefix + "-cache"));
        Assert.Equal(2, await ClientsAsync("the-app"));
    }

    [Fact]
    public async Task Disposing_the_cache_unsubscribes_its_channel_and_leaves_the_connection_to_its_owner()
    {
        var prefix = CacheFactory.UniquePrefix("dispose");
        await using var app = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.ConnectionString);
        var channel = prefix + ":__invalidate";
        var provider = Provider(app, prefix);
        var cache = provider.GetRequiredService<MultiLayerCache>();
        await ReadyAsync(cache);
        Assert.Equal(1, await SubscribersAsync(channel));

        await provider.DisposeAsync();

        Assert.Equal(0, await SubscribersAsync(channel));
        Assert.True(app.IsConnected);
        await app.GetDatabase().StringSetAsync(prefix + ":still-mine", "yes");
        Assert.Equal("yes", (string?)await app.GetDatabase().StringGetAsync(prefix + ":still-mine"));
    }

    [Fact]
    public async Task Sharing_is_logged_and_a_configured_connection_string_it_ignores_is_a_warning()
    {
        await using var app = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.ConnectionString);
        var logger = new ListLogger<MultiLayerCache>();

        await using (var provider = Provider(app, CacheFactory.UniquePrefix("log"), logger: logger))
        {
            provider.GetRequiredService<MultiLayerCache>();
        }

        await using (var provider = Provider(app, CacheFactory.UniquePrefix("log"), connection: "elsewhere:6379", logger: logger))
        {
            provider.GetRequiredService<MultiLayerCache>();
        }

        Assert.Contains(logger.Entries, e => e.Id.Id == 44 && e.Message.Contains(fixture.Redis.Endpoint, StringComparison.Ordinal));
        Assert.Contains(logger.Entries, e => e.Id.Id == 45 && e.Level == LogLevel.Warning);
    }

    /// <summary>The README's "Coming from IDistributedCache" wiring, as written there.</summary>
    [Fact]
    public async Task An_app_moving_from_IDistributedCache_keeps_it_working_on_the_one_connection_the_cache_shares()
    {
        var prefix = CacheFactory.UniquePrefix("migrate");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = fixture.Redis.ConnectionString + ",name=the-app",
            ["Cache:KeyPrefix"] = prefix,
        }).Build();
        var services = new ServiceCollection();

        // From the README:
        var redis = await ConnectionMultiplexer.ConnectAsync(configuration.GetConnectionString("redis")!);
        services.AddSingleton<IConnectionMultiplexer>(redis);
        services.AddStackExchangeRedisCache(o => o.ConnectionMultiplexerFactory = () => Task.FromResult<IConnectionMultiplexer>(redis));
        services.AddMultiLayerCache(configuration);

        await using (var provider = services.BuildServiceProvider())
        {
            var distributed = provider.GetRequiredService<IDistributedCache>();
            var cache = provider.GetRequiredService<IMultiLayerCache>();

            // A host's start waits for the cache's clock to follow Redis's (its hosted service); a bare container does
            // not, and a load that crosses the first calibration is returned uncached (invalidation readme), which
            // would make the Redis read below a miss.
            await ReadyAsync(provider.GetRequiredService<MultiLayerCache>());
            await distributed.SetStringAsync("session:1", "kept");
            Assert.Equal("v", await cache.GetOrSetAsync("user:1", _ => new ValueTask<string>("v")));

            Assert.Equal("kept", await distributed.GetStringAsync("session:1"));
            Assert.True((await cache.GetAsync<string>("user:1", new CacheEntryOptions { SkipLocal = true })).Found);
            Assert.Equal(2, await ClientsAsync("the-app"));
            Assert.Equal(0, await ClientsAsync(prefix + "-cache"));

            await provider.GetRequiredService<MultiLayerCache>().DisposeAsync();
            Assert.True(redis.IsConnected);
            Assert.Equal("kept", await distributed.GetStringAsync("session:1"));
        }

        // Microsoft's RedisCache, unlike this cache, closes the multiplexer its factory returned when the container
        // disposes it (Microsoft.Extensions.Caching.StackExchangeRedis 10.0); the README says so.
        Assert.False(redis.IsConnected);
        await redis.DisposeAsync();
    }

    private ServiceProvider Provider(IConnectionMultiplexer app, string prefix, string? useRegistered = null, string? connection = null, ListLogger<MultiLayerCache>? logger = null)
    {
        var settings = new Dictionary<string, string?> { ["Cache:KeyPrefix"] = prefix, ["Cache:UseRegisteredConnection"] = useRegistered, ["Cache:RedisConnection"] = connection };
        if (useRegistered == "false")
        {
            settings["Cache:RedisConnection"] = fixture.Redis.ConnectionString;
        }

        var services = new ServiceCollection()
            .AddSingleton(app)
            .AddMultiLayerCache(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        if (logger is not null)
        {
            services.AddSingleton<ILogger<MultiLayerCache>>(logger);
        }

        return services.BuildServiceProvider();
    }

    // Connected, subscribed and calibrated; a loaded machine may need more than one probe's patience.
    private static Task ReadyAsync(MultiLayerCache cache) =>
        Eventually.HoldsAsync(async () => await cache.ProbeRedisAsync(), TimeSpan.FromSeconds(10), "the cache serving from Redis");

    /// <summary>The server's connections whose client name is <paramref name="name"/> (the cache names its own "{prefix}-cache").</summary>
    private async Task<int> ClientsAsync(string name)
    {
        var list = (string)(await fixture.Redis.ExecuteAsync("CLIENT", "LIST"))!;
        return list.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(line => line.Split(' ').Contains("name=" + name));
    }

    private async Task<long> SubscribersAsync(string channel)
    {
        var reply = (RedisResult[])(await fixture.Redis.ExecuteAsync("PUBSUB", "NUMSUB", channel))!;
        return (long)reply[1];
    }
}
