using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Caching.Runtime.Tests.Configuration;

/// <summary>Validation of the settings and its use at registration time.</summary>
public sealed class MultiLayerCacheOptionsTests
{
    [Theory]
    [InlineData("gpu")]
    [InlineData("gpu-proxy.v2_x")]
    [InlineData("App1")]
    public void Plain_prefixes_are_accepted(string prefix)
    {
        new MultiLayerCacheOptions { KeyPrefix = prefix }.Validate();
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("app*")]
    [InlineData("app?")]
    [InlineData("app[1]")]
    [InlineData("a\\b")]
    [InlineData("{app}")]
    [InlineData("app:v2")]
    [InlineData("my app")]
    [InlineData("app\t")]
    [InlineData("app\u0001")]
    public void Prefixes_with_glob_characters_braces_colons_or_whitespace_are_rejected(string prefix)
    {
        var error = Assert.Throws<CacheConfigurationException>(() => new MultiLayerCacheOptions { KeyPrefix = prefix }.Validate());

        Assert.Equal("CACHE_KEY_PREFIX", error.Setting);
        Assert.Contains("CACHE_KEY_PREFIX", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, Action<MultiLayerCacheOptions>> BadValues() => new()
    {
        { "CACHE_LOCAL_SIZE_MB", o => o.LocalSizeMb = 0 },
        { "CACHE_LOCAL_SIZE_MB", o => o.LocalSizeMb = -5 },
        { "CACHE_LOCAL_SIZE_MB", o => o.LocalSizeMb = long.MaxValue / 1024 },
        { "CACHE_LOCAL_TTL", o => o.LocalTtl = TimeSpan.Zero },
        { "CACHE_LOCAL_EVICTION", o => o.LocalEviction = TimeSpan.FromSeconds(-1) },
        { "CACHE_REDIS_TTL", o => o.RedisTtl = TimeSpan.Zero },
        { "REDIS_POOL_SIZE", o => o.RedisPoolSize = 0 },
        { "REDIS_POOL_SIZE", o => o.RedisPoolSize = 65 },
        { "CACHE_REDIS_CONNECTION", o => o.RedisConnection = " " },
        { "Cache:MaxValueBytes", o => o.MaxValueBytes = 0 },
        { "Cache:RedisTimeout", o => o.RedisTimeout = TimeSpan.Zero },
        { "Cache:BreakerFailureThreshold", o => o.BreakerFailureThreshold = 0 },
        { "Cache:BreakerDuration", o => o.BreakerDuration = TimeSpan.Zero },
        { "Cache:FailSafeMaxDuration", o => o.FailSafeMaxDuration = TimeSpan.FromSeconds(-1) },
        { "Cache:Profiles:fast:LocalTtl", o => o.Profiles["fast"] = new CacheProfile { LocalTtl = TimeSpan.Zero } },
        { "Cache:Profiles:fast:RedisTtl", o => o.Profiles["fast"] = new CacheProfile { RedisTtl = TimeSpan.FromSeconds(-5) } },
        { "Cache:Methods:IUserService.ListAsync:LocalTtl", o => o.Methods["IUserService.ListAsync"] = new CacheProfile { LocalTtl = TimeSpan.Zero } },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void Non_positive_or_out_of_range_values_are_rejected_naming_the_setting(string setting, Action<MultiLayerCacheOptions> breakIt)
    {
        var options = new MultiLayerCacheOptions { KeyPrefix = "t" };
        breakIt(options);

        var error = Assert.Throws<CacheConfigurationException>(options.Validate);

        Assert.Equal(setting, error.Setting);
    }

    [Fact]
    public void A_blank_connection_string_is_fine_when_Redis_is_off()
    {
        new MultiLayerCacheOptions { KeyPrefix = "t", RedisEnabled = false, RedisConnection = string.Empty }.Validate();
    }

    [Fact]
    public void The_largest_local_size_that_fits_in_bytes_is_accepted_and_usable()
    {
        var options = new MultiLayerCacheOptions { KeyPrefix = "t", RedisEnabled = false, LocalSizeMb = long.MaxValue / (1024 * 1024) };

        options.Validate();
        using var cache = new MultiLayerCache(options);

        Assert.Equal(0, cache.Stats().LocalSizeBytes);
    }

    // Registration only records the configuration: the options system reads it when the cache is first needed (the
    // host's start validates it before any service runs, see HostStartupTests), so Configure calls made after
    // AddMultiLayerCache count too.
    [Fact]
    public void A_bad_configured_value_fails_the_first_resolution_naming_the_setting()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Cache:MaxValueBytes"] = "one megabyte" })
            .Build();
        using var provider = new ServiceCollection().AddMultiLayerCache(configuration).BuildServiceProvider();

        var error = Assert.Throws<CacheConfigurationException>(() => provider.GetRequiredService<IMultiLayerCache>());

        Assert.Equal("Cache:MaxValueBytes", error.Setting);
    }

    [Fact]
    public void Validation_checks_what_the_configure_callback_left()
    {
        var configuration = new ConfigurationBuilder().Build();
        using var provider = new ServiceCollection().AddMultiLayerCache(configuration, o => o.KeyPrefix = "a:b").BuildServiceProvider();

        var error = Assert.Throws<CacheConfigurationException>(() => provider.GetRequiredService<IMultiLayerCache>());

        Assert.Equal("CACHE_KEY_PREFIX", error.Setting);
    }

    [Fact]
    public void Registration_with_good_values_gives_one_cache_with_those_values()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Cache:RedisEnabled"] = "false",
                ["Cache:MaxValueBytes"] = "4096",
                ["Cache:Profiles:short:LocalTtl"] = "5s",
            })
            .Build();
        var services = new ServiceCollection().AddMultiLayerCache(configuration, o => o.KeyPrefix = "reg");

        using var provider = services.BuildServiceProvider();
        var cache = provider.GetRequiredService<IMultiLayerCache>();

        var concrete = Assert.IsType<MultiLayerCache>(cache);
        Assert.Same(concrete, provider.GetRequiredService<MultiLayerCache>());
        Assert.Equal(4096, concrete.Options.MaxValueBytes);
        Assert.Equal("reg", concrete.Options.KeyPrefix);
        Assert.Equal(TimeSpan.FromSeconds(5), concrete.Options.Profiles["short"].LocalTtl);
    }
}
