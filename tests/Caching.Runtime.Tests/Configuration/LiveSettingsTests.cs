using Caching.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Caching.Runtime.Tests.Configuration;

/// <summary>
/// Settings that follow a configuration reload (ConfigurationRoot.Reload, as a changed appsettings.json does), seen
/// by the next call: kill switches per method and per profile, per-method and profile TTLs, and a bad reload refused.
/// </summary>
public sealed class LiveSettingsTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    private static readonly CacheEntryOptions Monthly = new() { Method = "IReports.MonthlyAsync" };

    private static readonly CacheEntryOptions Daily = new() { Method = "IReports.DailyAsync", Profile = "reports" };

    private static readonly CacheEntryOptions Weekly = new() { Method = "IReports.WeeklyAsync", Profile = "reports" };

    [Fact]
    public async Task A_method_turned_off_calls_the_source_every_time_and_is_cached_again_once_turned_on()
    {
        await using var app = App(new() { ["Cache:Methods:IReports.MonthlyAsync:Enabled"] = "true" });
        var source = new Source();
        Assert.Equal("monthly #1", await app.Cache.GetOrSetAsync("report:monthly", source, Source.LoadAsync, Monthly));
        Assert.Equal("monthly #1", await app.Cache.GetOrSetAsync("report:monthly", source, Source.LoadAsync, Monthly));

        app.Reload("Cache:Methods:IReports.MonthlyAsync:Enabled", "false");
        using var caller = new CancellationTokenSource();
        Assert.Equal("monthly #2", await app.Cache.GetOrSetAsync("report:monthly", source, Source.LoadAsync, Monthly, caller.Token));
        Assert.Equal("monthly #3", await app.Cache.GetOrSetAsync("report:monthly", source, Source.LoadAsync, Monthly, caller.Token));

        // Straight to the source: with the caller's own token, and nothing read from or written to the cache.
        Assert.Equal(caller.Token, source.LastToken);
        Assert.False((await app.Cache.GetAsync<string>("report:monthly", Monthly)).Found);
        Assert.Equal("monthly #4", app.Cache.GetOrSet("report:monthly", source, s => s.Load(CancellationToken.None), Monthly));

        // Turned on again: read from the cache, which kept the value it had, and written again.
        app.Reload("Cache:Methods:IReports.MonthlyAsync:Enabled", "true");
        Assert.Equal("monthly #1", await app.Cache.GetOrSetAsync("report:monthly", source, Source.LoadAsync, Monthly));
        Assert.Equal("monthly #5", await app.Cache.GetOrSetAsync("report:other-month", source, Source.LoadAsync, Monthly));
        Assert.Equal("monthly #5", await app.Cache.GetOrSetAsync("report:other-month", source, Source.LoadAsync, Monthly));
        Assert.Equal(5, source.Loads);
    }

    [Fact]
    public async Task A_profile_turned_off_covers_every_method_using_it_unless_the_method_says_otherwise()
    {
        await using var app = App(new() { ["Cache:Profiles:reports:LocalTtl"] = "1h" });
        var source = new Source();
        await app.Cache.GetOrSetAsync("report:daily", source, Source.LoadAsync, Daily);
        await app.Cache.GetOrSetAsync("report:weekly", source, Source.LoadAsync, Weekly);
        Assert.Equal(2, source.Loads);

        app.Reload("Cache:Profiles:reports:Enabled", "false");
        await app.Cache.GetOrSetAsync("report:daily", source, Source.LoadAsync, Daily);
        await app.Cache.GetOrSetAsync("report:weekly", source, Source.LoadAsync, Weekly);
        Assert.Equal(4, source.Loads);

        app.Reload("Cache:Methods:IReports.WeeklyAsync:Enabled", "true");
        await app.Cache.GetOrSetAsync("report:daily", source, Source.LoadAsync, Daily);
        await app.Cache.GetOrSetAsync("report:weekly", source, Source.LoadAsync, Weekly);
        Assert.Equal(5, source.Loads);
    }

    [Fact]
    public async Task A_Set_while_turned_off_removes_the_old_value_instead_of_leaving_it_for_later()
    {
        await using var app = App(new());
        await app.Cache.SetAsync("report:monthly", "old", Monthly);
        Assert.Equal("old", (await app.Cache.GetAsync<string>("report:monthly", Monthly)).Value);

        app.Reload("Cache:Methods:IReports.MonthlyAsync:Enabled", "false");
        await app.Cache.SetAsync("report:monthly", "new", Monthly);
        app.Reload("Cache:Methods:IReports.MonthlyAsync:Enabled", "true");

        Assert.False((await app.Cache.GetAsync<string>("report:monthly", Monthly)).Found);
    }

    [Fact]
    public async Task A_reloaded_profile_and_method_RedisTtl_applies_to_the_next_store()
    {
        var prefix = CacheFactory.UniquePrefix("ttl");
        await using var app = App(new() { ["Cache:Profiles:reports:RedisTtl"] = "1h", ["Cache:FailSafe"] = "false" }, fixture.Redis, prefix);
        // Connected, subscribed and calibrated; beside other tests one probe's patience may not be enough.
        await Eventually.HoldsAsync(async () => await app.Cache.ProbeRedisAsync(), TimeSpan.FromSeconds(10), "the cache serving from Redis");
        await using var redis = await fixture.Redis.ConnectAsync();
        var source = new Source();

        await app.Cache.GetOrSetAsync("report:daily:1", source, Source.LoadAsync, Daily);
        Assert.InRange(await MinutesLeftAsync(redis, prefix + ":report:daily:1"), 55, 60);

        app.Reload("Cache:Profiles:reports:RedisTtl", "10m");
        await app.Cache.GetOrSetAsync("report:daily:2", source, Source.LoadAsync, Daily);
        Assert.InRange(await MinutesLeftAsync(redis, prefix + ":report:daily:2"), 8, 10);

        // The method's own entry wins over its profile.
        app.Reload("Cache:Methods:IReports.DailyAsync:RedisTtl", "3m");
        await app.Cache.GetOrSetAsync("report:daily:3", source, Source.LoadAsync, Daily);
        Assert.InRange(await MinutesLeftAsync(redis, prefix + ":report:daily:3"), 2, 3);
        Assert.InRange(await MinutesLeftAsync(redis, prefix + ":report:daily:1"), 55, 60);
    }

    [Fact]
    public async Task A_reloaded_profile_LocalTtl_applies_to_the_next_store()
    {
        await using var app = App(new() { ["Cache:Profiles:reports:LocalTtl"] = "1h" });
        var source = new Source();
        app.Reload("Cache:Profiles:reports:LocalTtl", "300ms");

        await app.Cache.GetOrSetAsync("report:daily", source, Source.LoadAsync, Daily);
        await app.Cache.GetOrSetAsync("report:daily", source, Source.LoadAsync, Daily);
        Assert.Equal(1, source.Loads);

        // L1 freshness reads the process tick count, not a TimeProvider, so this waits out the short TTL for real.
        await Task.Delay(600);
        await app.Cache.GetOrSetAsync("report:daily", source, Source.LoadAsync, Daily);
        Assert.Equal(2, source.Loads);
    }

    [Fact]
    public async Task A_reload_with_a_bad_value_is_refused_whole_logged_and_the_cache_keeps_its_settings()
    {
        await using var app = App(new() { ["Cache:Methods:IReports.MonthlyAsync:Enabled"] = "false" });
        var source = new Source();

        // Two changes in one reload, one of them bad: neither applies.
        app.Configuration["Cache:Methods:IReports.MonthlyAsync:Enabled"] = "true";
        var reload = Assert.Throws<AggregateException>(() => app.Reload("Cache:Profiles:reports:LocalTtl", "soon"));

        // The options monitor's change callback throws into whoever raised the reload (a file watcher's task, here Reload()).
        var error = Assert.IsType<CacheConfigurationException>(Assert.Single(reload.Flatten().InnerExceptions));

        Assert.Equal("Cache:Profiles:reports:LocalTtl", error.Setting);
        var refused = Assert.Single(app.Logger.Entries, e => e.Level == LogLevel.Error);
        Assert.Equal("Cache settings reload refused, the cache keeps the settings it runs with: " + error.Message, refused.Message);
        await app.Cache.GetOrSetAsync("report:monthly", source, Source.LoadAsync, Monthly);
        await app.Cache.GetOrSetAsync("report:monthly", source, Source.LoadAsync, Monthly);
        Assert.Equal(2, source.Loads);

        // Fixed: the next reload applies both.
        app.Reload("Cache:Profiles:reports:LocalTtl", "1m");
        await app.Cache.GetOrSetAsync("report:monthly", source, Source.LoadAsync, Monthly);
        await app.Cache.GetOrSetAsync("report:monthly", source, Source.LoadAsync, Monthly);
        Assert.Equal(3, source.Loads);
    }

    [Fact]
    public async Task A_reload_that_drops_a_required_profile_is_refused()
    {
        var settings = new Dictionary<string, string?> { ["Cache:RedisEnabled"] = "false", ["Cache:KeyPrefix"] = "required", ["Cache:Profiles:reports:LocalTtl"] = "1h" };
        var source = new ReloadableConfiguration(settings);
        var configuration = new ConfigurationBuilder().Add(source).Build();
        await using var provider = new ServiceCollection()
            .AddMultiLayerCache(configuration)
            .AddRequiredCacheProfile("reports", "IReports.DailyAsync")
            .BuildServiceProvider();
        var cache = provider.GetRequiredService<MultiLayerCache>();

        settings.Remove("Cache:Profiles:reports:LocalTtl");
        var reload = Assert.Throws<AggregateException>(() => source.Replace(settings));

        var error = Assert.IsType<CacheConfigurationException>(Assert.Single(reload.Flatten().InnerExceptions));
        Assert.Contains("'reports' (used by IReports.DailyAsync)", error.Message, StringComparison.Ordinal);
        Assert.Equal("x", await cache.GetOrSetAsync("report:daily", _ => new ValueTask<string>("x"), Daily));
    }

    [Fact]
    public async Task A_reload_that_changes_a_startup_only_setting_says_so()
    {
        await using var app = App(new() { ["Cache:LocalSizeMb"] = "50" });

        app.Reload("Cache:LocalSizeMb", "60");

        Assert.Contains(app.Logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("CACHE_LOCAL_SIZE_MB", StringComparison.Ordinal));
        Assert.Equal(50, app.Cache.Options.LocalSizeMb);
    }

    [Fact]
    public async Task Options_built_per_call_for_one_method_share_one_resolution_and_names_ignore_case()
    {
        await using var app = App(new() { ["Cache:Methods:ireports.MONTHLYASYNC:Enabled"] = "false" });
        var first = new CacheEntryOptions { Method = "IReports.MonthlyAsync", Tags = ["a"] };
        var second = new CacheEntryOptions { Method = "IReports.MonthlyAsync", Tags = ["b"] };
        var source = new Source();

        await app.Cache.GetOrSetAsync("report:monthly:a", source, Source.LoadAsync, first);
        await app.Cache.GetOrSetAsync("report:monthly:b", source, Source.LoadAsync, second);

        Assert.Equal(2, source.Loads);
        Assert.Same(first.Settings, second.Settings);
        Assert.False(first.Settings!.Enabled);
    }

    private static TestApp App(Dictionary<string, string?> settings, Caching.Testing.RedisServer? redis = null, string? prefix = null)
    {
        settings["Cache:KeyPrefix"] = prefix ?? CacheFactory.UniquePrefix("live");
        settings["Cache:RedisEnabled"] = redis is null ? "false" : "true";
        settings["Cache:RedisConnection"] = redis?.ConnectionString;
        var provider = new MemoryConfigurationProvider(new MemoryConfigurationSource { InitialData = settings });
        var configuration = new ConfigurationRoot([provider]);
        var logger = new ListLogger<MultiLayerCache>();
        var services = new ServiceCollection().AddSingleton<ILogger<MultiLayerCache>>(logger).AddSingleton<ILoggerFactory>(new SingleLoggerFactory(logger));
        CacheServiceCollectionExtensions.AddMultiLayerCache(services, configuration, null, _ => null);
        var container = services.BuildServiceProvider();
        return new TestApp(container, container.GetRequiredService<MultiLayerCache>(), configuration, logger);
    }

    private static async Task<double> MinutesLeftAsync(StackExchange.Redis.ConnectionMultiplexer redis, string key) =>
        (await redis.GetDatabase().KeyTimeToLiveAsync(key))!.Value.TotalMinutes;

    private sealed record TestApp(ServiceProvider Provider, MultiLayerCache Cache, ConfigurationRoot Configuration, ListLogger<MultiLayerCache> Logger) : IAsyncDisposable
    {
        /// <summary>Changes one value and reloads, as a rewritten appsettings.json with reloadOnChange does.</summary>
        public void Reload(string key, string? value)
        {
            Configuration[key] = value;
            Configuration.Reload();
        }

        public ValueTask DisposeAsync() => Provider.DisposeAsync();
    }

    private sealed class Source
    {
        public int Loads { get; private set; }

        public CancellationToken LastToken { get; private set; }

        public static ValueTask<string> LoadAsync(Source source, CancellationToken token) => new(source.Load(token));

        public string Load(CancellationToken token)
        {
            LastToken = token;
            return "monthly #" + ++Loads;
        }
    }

    private sealed class SingleLoggerFactory(ILogger logger) : ILoggerFactory
    {
        public void AddProvider(ILoggerProvider provider)
        {
        }

        public ILogger CreateLogger(string categoryName) => logger;

        public void Dispose()
        {
        }
    }
}
