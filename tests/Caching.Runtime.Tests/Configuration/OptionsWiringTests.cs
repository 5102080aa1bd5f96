using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Caching.Runtime.Tests.Configuration;

/// <summary><see cref="MultiLayerCacheOptions"/> through the options system: binding, precedence, Configure/PostConfigure, validation.</summary>
public sealed class OptionsWiringTests
{
    [Fact]
    public void A_variable_of_the_environment_wins_over_the_Cache_section_and_the_root_key()
    {
        var configuration = Config(new() { ["Cache:LocalTtl"] = "1m", ["CACHE_LOCAL_TTL"] = "2m", ["Cache:RedisTtl"] = "2h", ["Cache:RedisEnabled"] = "false" });
        var services = new ServiceCollection();
        CacheServiceCollectionExtensions.AddMultiLayerCache(services, configuration, null, Environment(new() { ["CACHE_LOCAL_TTL"] = "3m" }));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<MultiLayerCacheOptions>>().Value;

        Assert.Equal(TimeSpan.FromMinutes(3), options.LocalTtl);
        Assert.Equal(TimeSpan.FromHours(2), options.RedisTtl);
        Assert.Equal(TimeSpan.FromMinutes(3), provider.GetRequiredService<MultiLayerCache>().Options.LocalTtl);
    }

    [Fact]
    public void Configure_and_PostConfigure_of_the_application_apply_after_the_binding_and_the_callback()
    {
        var order = new List<string>();
        var services = new ServiceCollection()
            .AddMultiLayerCache(Config(new() { ["Cache:KeyPrefix"] = "from-config", ["Cache:MaxValueBytes"] = "1000", ["Cache:RedisEnabled"] = "false" }), o =>
            {
                order.Add("callback saw " + o.KeyPrefix);
                o.MaxValueBytes *= 2;
            });
        services.PostConfigure<MultiLayerCacheOptions>(o =>
        {
            order.Add("post-configure saw " + o.KeyPrefix);
            o.KeyPrefix += "-post";
        });
        services.Configure<MultiLayerCacheOptions>(o =>
        {
            order.Add("configure saw " + o.KeyPrefix);
            o.KeyPrefix = "from-configure";
        });
        using var provider = services.BuildServiceProvider();

        var cache = provider.GetRequiredService<MultiLayerCache>();

        Assert.Equal("from-configure-post", cache.Options.KeyPrefix);
        Assert.Equal(2000, cache.Options.MaxValueBytes);
        Assert.Equal(["callback saw from-config", "configure saw from-config", "post-configure saw from-configure"], order);
    }

    [Fact]
    public void What_Configure_sets_is_validated_like_what_configuration_sets()
    {
        var services = new ServiceCollection().AddMultiLayerCache(Config(new() { ["Cache:RedisEnabled"] = "false" }));
        services.Configure<MultiLayerCacheOptions>(o => o.LocalTtl = TimeSpan.Zero);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<CacheConfigurationException>(() => provider.GetRequiredService<IOptions<MultiLayerCacheOptions>>().Value);

        Assert.Equal("CACHE_LOCAL_TTL", error.Setting);
        Assert.Equal("Invalid cache setting CACHE_LOCAL_TTL='00:00:00': expected a positive duration.", error.Message);
    }

    [Fact]
    public void A_bad_value_reaches_the_caller_as_the_one_line_that_names_it_not_as_the_options_pipelines_stack()
    {
        using var provider = new ServiceCollection().AddMultiLayerCache(Config(new() { ["Cache:Profiles:fast:RedisTtl"] = "forever" })).BuildServiceProvider();

        var error = Assert.Throws<CacheConfigurationException>(() => provider.GetRequiredService<IMultiLayerCache>());

        Assert.Equal("Cache:Profiles:fast:RedisTtl", error.Setting);
        Assert.Equal("Caching.CacheConfigurationException: " + error.Message, error.ToString());
        Assert.Contains("OptionsFactory", error.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void The_instance_overload_runs_the_cache_with_that_instance_and_applies_Configure_to_it()
    {
        var mine = new MultiLayerCacheOptions { KeyPrefix = "mine", RedisEnabled = false };
        var services = new ServiceCollection().AddMultiLayerCache(mine);
        services.Configure<MultiLayerCacheOptions>(o => o.MaxValueBytes = 4096);
        using var provider = services.BuildServiceProvider();

        var cache = provider.GetRequiredService<MultiLayerCache>();

        Assert.Same(mine, cache.Options);
        Assert.Same(mine, provider.GetRequiredService<MultiLayerCacheOptions>());
        Assert.Equal(4096, mine.MaxValueBytes);
    }

    [Fact]
    public void The_instance_overload_validates_at_resolution_too()
    {
        var services = new ServiceCollection().AddMultiLayerCache(new MultiLayerCacheOptions { KeyPrefix = "ok", RedisEnabled = false });
        services.PostConfigure<MultiLayerCacheOptions>(o => o.RedisPoolSize = 0);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<CacheConfigurationException>(() => provider.GetRequiredService<IMultiLayerCache>());

        Assert.Equal("REDIS_POOL_SIZE", error.Setting);
    }

    [Fact]
    public void A_second_registration_changes_nothing()
    {
        var services = new ServiceCollection()
            .AddMultiLayerCache(Config(new() { ["Cache:KeyPrefix"] = "first", ["Cache:RedisEnabled"] = "false" }))
            .AddMultiLayerCache(Config(new() { ["Cache:KeyPrefix"] = "second" }));
        using var provider = services.BuildServiceProvider();

        Assert.Equal("first", provider.GetRequiredService<MultiLayerCache>().Options.KeyPrefix);
        Assert.Single(services, d => d.ServiceType == typeof(MultiLayerCache));
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 1)]
    public void A_Cache_Methods_entry_no_declared_method_has_is_a_warning_once_names_are_declared(bool declare, int warnings)
    {
        var logger = new Infrastructure.ListLogger<MultiLayerCache>();
        var services = new ServiceCollection()
            .AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(new OneLoggerFactory(logger))
            .AddMultiLayerCache(Config(new() { ["Cache:RedisEnabled"] = "false", ["Cache:Methods:Reports.Montly:Enabled"] = "false", ["Cache:Methods:reports.daily:Enabled"] = "false" }));
        if (declare)
        {
            services.AddCachedMethods("Reports.Monthly", "Reports.Daily");
        }

        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<MultiLayerCache>();

        var found = logger.Entries.Where(e => e.Id.Id == 46).ToList();
        Assert.Equal(warnings, found.Count);
        Assert.All(found, e => Assert.StartsWith("Cache:Methods:Reports.Montly: no cached method", e.Message, StringComparison.Ordinal));
    }

    private sealed class OneLoggerFactory(Microsoft.Extensions.Logging.ILogger logger) : Microsoft.Extensions.Logging.ILoggerFactory
    {
        public void AddProvider(Microsoft.Extensions.Logging.ILoggerProvider provider)
        {
        }

        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => logger;

        public void Dispose()
        {
        }
    }

    private static IConfigurationRoot Config(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    private static Func<string, string?> Environment(Dictionary<string, string> values) =>
        name => values.TryGetValue(name, out var value) ? value : null;
}
