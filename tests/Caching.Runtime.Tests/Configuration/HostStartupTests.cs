using Caching.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Caching.Runtime.Tests.Configuration;

/// <summary>
/// A real host built the usual way (<c>Host.CreateApplicationBuilder</c>: appsettings, the process environment) with
/// the cache's settings in real environment variables. Setting a process variable is visible to every test running
/// at the same time, so these run in the collection that runs alone.
/// </summary>
[Collection(TimingSensitive.Name)]
public sealed class HostStartupTests
{
    private const string BadTtlLine = "Invalid cache setting CACHE_LOCAL_TTL='5x': expected a duration such as \"500ms\", \"30s\", \"5m\", \"1h\", \"1d\" or \"hh:mm:ss\".";

    [Fact]
    public async Task A_bad_CACHE_LOCAL_TTL_stops_the_host_with_one_line_that_names_the_variable()
    {
        using var variables = new Variables(("CACHE_LOCAL_TTL", "5x"), ("CACHE_REDIS_ENABLED", "false"));
        var logs = new CapturingLoggerProvider();
        using var host = Build(logs, services => { });

        var error = await Assert.ThrowsAsync<CacheConfigurationException>(() => host.StartAsync());

        Assert.Equal("CACHE_LOCAL_TTL", error.Setting);
        Assert.Equal(BadTtlLine, error.Message);
        var critical = Assert.Single(logs.Entries, e => e.Level == LogLevel.Critical);
        Assert.Equal(BadTtlLine, critical.Message);
        Assert.Null(critical.Exception);

        // The host logs the exception that stopped it; it prints as the same line, without the options pipeline's frames.
        Assert.All(logs.Entries.Where(e => e.Exception is not null), e => Assert.Equal("Caching.CacheConfigurationException: " + BadTtlLine, e.Exception));
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains("   at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_process_environment_wins_over_appsettings_in_a_real_host()
    {
        using var variables = new Variables(("CACHE_LOCAL_TTL", "45s"), ("CACHE_REDIS_ENABLED", "false"));
        using var host = Build(new CapturingLoggerProvider(), services => { }, new() { ["Cache:LocalTtl"] = "1m", ["Cache:RedisTtl"] = "2h" });

        await host.StartAsync();

        var options = host.Services.GetRequiredService<MultiLayerCache>().Options;
        Assert.Equal(TimeSpan.FromSeconds(45), options.LocalTtl);
        Assert.Equal(TimeSpan.FromHours(2), options.RedisTtl);
        await host.StopAsync();
    }

    [Fact]
    public async Task Demanding_the_registered_connection_without_one_stops_the_host_naming_the_setting()
    {
        using var variables = new Variables(("CACHE_KEY_PREFIX", "host-startup"));
        var logs = new CapturingLoggerProvider();
        using var host = Build(logs, services => { }, new() { ["Cache:UseRegisteredConnection"] = "true" });

        var error = await Assert.ThrowsAsync<CacheConfigurationException>(() => host.StartAsync());

        Assert.Equal("Cache:UseRegisteredConnection", error.Setting);
        Assert.StartsWith("Invalid cache setting Cache:UseRegisteredConnection='true': expected an IConnectionMultiplexer registered in the container", error.Message, StringComparison.Ordinal);
        Assert.Equal(error.Message, Assert.Single(logs.Entries, e => e.Level == LogLevel.Critical).Message);
    }

    private static IHost Build(CapturingLoggerProvider logs, Action<IServiceCollection> more, Dictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder();
        if (settings is not null)
        {
            // Where appsettings.json would put them: below the environment in the host's configuration.
            builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = settings });
        }

        builder.Logging.ClearProviders().AddProvider(logs);
        builder.Services.AddMultiLayerCache(builder.Configuration);
        more(builder.Services);
        return builder.Build();
    }

    /// <summary>Sets process environment variables for one test and restores them after.</summary>
    private sealed class Variables : IDisposable
    {
        private readonly (string Name, string? Value)[] _saved;

        public Variables(params (string Name, string Value)[] values)
        {
            _saved = values.Select(v => (v.Name, System.Environment.GetEnvironmentVariable(v.Name))).ToArray();
            foreach (var (name, value) in values)
            {
                System.Environment.SetEnvironmentVariable(name, value);
            }
        }

        public void Dispose()
        {
            foreach (var (name, value) in _saved)
            {
                System.Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}
