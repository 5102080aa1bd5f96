using Microsoft.Extensions.Configuration;

namespace Caching.Runtime.Tests.Configuration;

/// <summary>Binding of the seed's variables and the <c>Cache</c> section, with a fake environment.</summary>
public sealed class CacheSettingsReaderTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    [Fact]
    public void Without_settings_the_defaults_of_the_design_apply()
    {
        var options = Read(new Dictionary<string, string?>(), NoEnvironment);
        var defaults = new MultiLayerCacheOptions();

        Assert.True(options.LocalEnabled);
        Assert.Equal(100, options.LocalSizeMb);
        Assert.Equal(TimeSpan.FromMinutes(5), options.LocalTtl);
        Assert.Equal(TimeSpan.FromMinutes(1), options.LocalEviction);
        Assert.True(options.RedisEnabled);
        Assert.Equal(TimeSpan.FromMinutes(30), options.RedisTtl);
        Assert.Equal("localhost:6379", options.RedisConnection);
        Assert.Equal(1, options.RedisPoolSize);
        Assert.Equal(defaults.KeyPrefix, options.KeyPrefix);
        Assert.Equal(1024 * 1024, options.MaxValueBytes);
        Assert.Empty(options.Profiles);
        options.Validate();
    }

    [Fact]
    public void The_default_prefix_is_a_valid_prefix_derived_from_the_application_name()
    {
        var prefix = new MultiLayerCacheOptions().KeyPrefix;

        Assert.Matches("^[a-z0-9._-]+$", prefix);
    }

    [Fact]
    public void Every_setting_binds_from_the_Cache_section()
    {
        var options = Read(
            new Dictionary<string, string?>
            {
                ["Cache:LocalEnabled"] = "false",
                ["Cache:LocalSizeMb"] = "64",
                ["Cache:LocalTtl"] = "90s",
                ["Cache:LocalEviction"] = "00:00:30",
                ["Cache:RedisEnabled"] = "no",
                ["Cache:RedisTtl"] = "2h",
                ["Cache:KeyPrefix"] = " shop ",
                ["Cache:RedisPoolSize"] = "4",
                ["Cache:RedisConnection"] = "redis-a:6379,redis-b:6379,ssl=true",
                ["Cache:MaxValueBytes"] = "2048",
                ["Cache:RedisTimeout"] = "250ms",
                ["Cache:BreakerFailureThreshold"] = "7",
                ["Cache:BreakerDuration"] = "15s",
                ["Cache:FailSafe"] = "off",
                ["Cache:FailSafeMaxDuration"] = "1d",
                ["Cache:IndexedPatterns:0"] = "user:*:avatar",
                ["Cache:IndexedPatterns:1"] = "http:GET:/items/*",
            },
            NoEnvironment);

        Assert.False(options.LocalEnabled);
        Assert.Equal(64, options.LocalSizeMb);
        Assert.Equal(TimeSpan.FromSeconds(90), options.LocalTtl);
        Assert.Equal(TimeSpan.FromSeconds(30), options.LocalEviction);
        Assert.False(options.RedisEnabled);
        Assert.Equal(TimeSpan.FromHours(2), options.RedisTtl);
        Assert.Equal("shop", options.KeyPrefix);
        Assert.Equal(4, options.RedisPoolSize);
        Assert.Equal("redis-a:6379,redis-b:6379,ssl=true", options.RedisConnection);
        Assert.Equal(2048, options.MaxValueBytes);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.RedisTimeout);
        Assert.Equal(7, options.BreakerFailureThreshold);
        Assert.Equal(TimeSpan.FromSeconds(15), options.BreakerDuration);
        Assert.False(options.FailSafe);
        Assert.Equal(TimeSpan.FromDays(1), options.FailSafeMaxDuration);
        Assert.Equal(["user:*:avatar", "http:GET:/items/*"], options.IndexedPatterns);
    }

    [Fact]
    public void Every_variable_binds_from_the_environment()
    {
        var environment = new Dictionary<string, string>
        {
            ["CACHE_LOCAL_ENABLED"] = "0",
            ["CACHE_LOCAL_SIZE_MB"] = "12",
            ["CACHE_LOCAL_TTL"] = "45s",
            ["CACHE_LOCAL_EVICTION"] = "10s",
            ["CACHE_REDIS_ENABLED"] = "false",
            ["CACHE_REDIS_TTL"] = "01:00:00",
            ["CACHE_KEY_PREFIX"] = "gpu-proxy",
            ["REDIS_POOL_SIZE"] = "3",
            ["CACHE_REDIS_CONNECTION"] = "127.0.0.1:7000,password=secret",
        };

        var options = Read(new Dictionary<string, string?>(), Env(environment));

        Assert.False(options.LocalEnabled);
        Assert.Equal(12, options.LocalSizeMb);
        Assert.Equal(TimeSpan.FromSeconds(45), options.LocalTtl);
        Assert.Equal(TimeSpan.FromSeconds(10), options.LocalEviction);
        Assert.False(options.RedisEnabled);
        Assert.Equal(TimeSpan.FromHours(1), options.RedisTtl);
        Assert.Equal("gpu-proxy", options.KeyPrefix);
        Assert.Equal(3, options.RedisPoolSize);
        Assert.Equal("127.0.0.1:7000,password=secret", options.RedisConnection);
    }

    [Fact]
    public void Root_keys_named_like_the_variables_bind_and_beat_the_section()
    {
        var options = Read(
            new Dictionary<string, string?>
            {
                ["Cache:LocalSizeMb"] = "10",
                ["CACHE_LOCAL_SIZE_MB"] = "20",
                ["Cache:KeyPrefix"] = "from-section",
                ["CACHE_KEY_PREFIX"] = "from-root",
                ["CACHE_REDIS_TTL"] = "3h",
            },
            NoEnvironment);

        Assert.Equal(20, options.LocalSizeMb);
        Assert.Equal("from-root", options.KeyPrefix);
        Assert.Equal(TimeSpan.FromHours(3), options.RedisTtl);
    }

    [Fact]
    public void The_environment_wins_over_the_root_key_and_the_section()
    {
        var options = Read(
            new Dictionary<string, string?>
            {
                ["Cache:LocalTtl"] = "1m",
                ["CACHE_LOCAL_TTL"] = "2m",
                ["Cache:RedisConnection"] = "section:1",
                ["CACHE_REDIS_CONNECTION"] = "root:1",
            },
            Env(new() { ["CACHE_LOCAL_TTL"] = "3m", ["CACHE_REDIS_CONNECTION"] = "env:1" }));

        Assert.Equal(TimeSpan.FromMinutes(3), options.LocalTtl);
        Assert.Equal("env:1", options.RedisConnection);
    }

    [Fact]
    public void A_blank_environment_value_does_not_hide_the_configuration()
    {
        var options = Read(new Dictionary<string, string?> { ["Cache:LocalSizeMb"] = "7" }, Env(new() { ["CACHE_LOCAL_SIZE_MB"] = "  " }));

        Assert.Equal(7, options.LocalSizeMb);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("1", true)]
    [InlineData("yes", true)]
    [InlineData(" on ", true)]
    [InlineData("false", false)]
    [InlineData("0", false)]
    [InlineData("No", false)]
    [InlineData("off", false)]
    public void Booleans_accept_the_usual_spellings(string text, bool expected)
    {
        var options = Read(new Dictionary<string, string?>(), Env(new() { ["CACHE_REDIS_ENABLED"] = text }));

        Assert.Equal(expected, options.RedisEnabled);
    }

    [Theory]
    [InlineData("CACHE_LOCAL_ENABLED", "maybe")]
    [InlineData("CACHE_LOCAL_SIZE_MB", "lots")]
    [InlineData("CACHE_LOCAL_SIZE_MB", "1.5")]
    [InlineData("CACHE_LOCAL_TTL", "5x")]
    [InlineData("CACHE_LOCAL_EVICTION", "-1s")]
    [InlineData("CACHE_REDIS_ENABLED", "2")]
    [InlineData("CACHE_REDIS_TTL", "30 minutes")]
    [InlineData("REDIS_POOL_SIZE", "four")]
    public void A_bad_environment_value_is_an_error_that_names_the_variable_and_the_value(string variable, string value)
    {
        var error = Assert.Throws<CacheConfigurationException>(() => Read(new Dictionary<string, string?>(), Env(new() { [variable] = value })));

        Assert.Equal(variable, error.Setting);
        Assert.Contains(variable, error.Message, StringComparison.Ordinal);
        Assert.Contains("'" + value + "'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_duration_message_says_what_is_expected()
    {
        var error = Assert.Throws<CacheConfigurationException>(() => Read(new Dictionary<string, string?>(), Env(new() { ["CACHE_LOCAL_TTL"] = "5x" })));

        Assert.Equal("Invalid cache setting CACHE_LOCAL_TTL='5x': expected a duration such as \"500ms\", \"30s\", \"5m\", \"1h\", \"1d\" or \"hh:mm:ss\".", error.Message);
    }

    [Theory]
    [InlineData("Cache:LocalSizeMb", "big", "CACHE_LOCAL_SIZE_MB")]
    [InlineData("CACHE_REDIS_TTL", "soon", "CACHE_REDIS_TTL")]
    [InlineData("Cache:MaxValueBytes", "1MB", "Cache:MaxValueBytes")]
    [InlineData("Cache:RedisTimeout", "fast", "Cache:RedisTimeout")]
    [InlineData("Cache:BreakerFailureThreshold", "x", "Cache:BreakerFailureThreshold")]
    [InlineData("Cache:BreakerDuration", "1 s", "Cache:BreakerDuration")]
    [InlineData("Cache:FailSafe", "sometimes", "Cache:FailSafe")]
    [InlineData("Cache:FailSafeMaxDuration", "1w", "Cache:FailSafeMaxDuration")]
    public void A_bad_configuration_value_is_an_error_naming_the_setting(string key, string value, string setting)
    {
        var error = Assert.Throws<CacheConfigurationException>(() => Read(new Dictionary<string, string?> { [key] = value }, NoEnvironment));

        Assert.Equal(setting, error.Setting);
        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Profiles_bind_from_their_own_sections_and_are_found_ignoring_case()
    {
        var options = Read(
            new Dictionary<string, string?>
            {
                ["Cache:Profiles:fast-changing:LocalTtl"] = "10s",
                ["Cache:Profiles:fast-changing:RedisTtl"] = "1m",
                ["Cache:Profiles:fast-changing:FailSafe"] = "false",
                ["Cache:Profiles:remote-only:SkipLocal"] = "true",
                ["Cache:Profiles:local-only:SkipRedis"] = "yes",
            },
            NoEnvironment);

        Assert.Equal(3, options.Profiles.Count);
        var fast = options.Profiles["Fast-Changing"];
        Assert.Equal(TimeSpan.FromSeconds(10), fast.LocalTtl);
        Assert.Equal(TimeSpan.FromMinutes(1), fast.RedisTtl);
        Assert.False(fast.FailSafe);
        Assert.Null(fast.SkipLocal);
        Assert.True(options.Profiles["remote-only"].SkipLocal);
        Assert.Null(options.Profiles["remote-only"].LocalTtl);
        Assert.True(options.Profiles["local-only"].SkipRedis);
    }

    [Fact]
    public void Methods_and_kill_switches_bind_like_profiles()
    {
        var options = Read(
            new Dictionary<string, string?>
            {
                ["Cache:Methods:IUserService.GetProfileAsync:Enabled"] = "false",
                ["Cache:Methods:IUserService.ListAsync:LocalTtl"] = "30s",
                ["Cache:Methods:IUserService.ListAsync:SkipRedis"] = "on",
                ["Cache:Profiles:reports:Enabled"] = "no",
                ["Cache:UseRegisteredConnection"] = "false",
            },
            NoEnvironment);

        Assert.False(options.Methods["iuserservice.getprofileasync"].Enabled);
        Assert.Null(options.Methods["IUserService.GetProfileAsync"].LocalTtl);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Methods["IUserService.ListAsync"].LocalTtl);
        Assert.True(options.Methods["IUserService.ListAsync"].SkipRedis);
        Assert.Null(options.Methods["IUserService.ListAsync"].Enabled);
        Assert.False(options.Profiles["reports"].Enabled);
        Assert.False(options.UseRegisteredConnection);
        Assert.Null(new MultiLayerCacheOptions().UseRegisteredConnection);
    }

    [Theory]
    [InlineData("Cache:Methods:IUserService.GetProfileAsync:Enabled", "nope")]
    [InlineData("Cache:Methods:IUserService.GetProfileAsync:RedisTtl", "later")]
    [InlineData("Cache:Profiles:reports:Enabled", "2")]
    [InlineData("Cache:UseRegisteredConnection", "maybe")]
    public void A_bad_method_profile_or_connection_value_names_its_setting(string key, string value)
    {
        var error = Assert.Throws<CacheConfigurationException>(() => Read(new Dictionary<string, string?> { [key] = value }, NoEnvironment));

        Assert.Equal(key, error.Setting);
        Assert.Contains("'" + value + "'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Configured_profile_values_complete_a_profile_registered_in_code()
    {
        var options = new MultiLayerCacheOptions();
        options.Profiles["slow"] = new CacheProfile { RedisTtl = TimeSpan.FromHours(6), SkipLocal = true };

        CacheSettingsReader.Apply(options, Config(new() { ["Cache:Profiles:slow:LocalTtl"] = "2m" }), NoEnvironment);

        Assert.Equal(TimeSpan.FromMinutes(2), options.Profiles["slow"].LocalTtl);
        Assert.Equal(TimeSpan.FromHours(6), options.Profiles["slow"].RedisTtl);
        Assert.True(options.Profiles["slow"].SkipLocal);
    }

    [Fact]
    public void A_bad_profile_value_names_the_profile_setting()
    {
        var error = Assert.Throws<CacheConfigurationException>(() => Read(new Dictionary<string, string?> { ["Cache:Profiles:fast:RedisTtl"] = "forever" }, NoEnvironment));

        Assert.Equal("Cache:Profiles:fast:RedisTtl", error.Setting);
        Assert.Contains("'forever'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_works_without_a_configuration()
    {
        var options = new MultiLayerCacheOptions();

        CacheSettingsReader.Apply(options, null, Env(new() { ["CACHE_LOCAL_SIZE_MB"] = "9" }));

        Assert.Equal(9, options.LocalSizeMb);
    }

    private static MultiLayerCacheOptions Read(Dictionary<string, string?> configuration, Func<string, string?> environment)
    {
        var options = new MultiLayerCacheOptions();
        CacheSettingsReader.Apply(options, Config(configuration), environment);
        return options;
    }

    private static IConfiguration Config(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    private static Func<string, string?> Env(Dictionary<string, string> values) =>
        name => values.TryGetValue(name, out var value) ? value : null;
}
