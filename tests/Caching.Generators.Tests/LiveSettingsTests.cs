using Caching.Generators.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Caching.Generators.Tests;

/// <summary>
/// A running host whose appsettings.json is rewritten and reloaded, calling a generated decorator (compiled with the
/// generator, over a real redis-server): the kill switches and TTLs of <c>Cache:Methods</c> and <c>Cache:Profiles</c>
/// change the next call.
/// </summary>
public sealed class LiveSettingsTests(RedisFixture redis) : IClassFixture<RedisFixture>, IDisposable
{
    private const string Consumer = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Caching;
        using Microsoft.Extensions.DependencyInjection;

        namespace Consumer;

        public interface IReports
        {
            [Cached("report:{month}", Profile = "reports")]
            Task<string> MonthlyAsync(string month, CancellationToken ct = default);

            [Cached("day:{day}", LocalTtl = "1h")]
            string Daily(int day);
        }

        public sealed class Reports : IReports
        {
            public int Loads;

            public Task<string> MonthlyAsync(string month, CancellationToken ct = default) => Task.FromResult(month + " #" + Interlocked.Increment(ref Loads));

            public string Daily(int day) => "day " + day + " #" + Interlocked.Increment(ref Loads);
        }

        public static class Setup
        {
            public static void Register(IServiceCollection services)
            {
                services.AddSingleton<Reports>();
                services.AddSingleton<IReports>(provider => provider.GetRequiredService<Reports>());
                services.AddCachingDecorators();
            }

            public static Task<string> MonthlyAsync(IServiceProvider provider, string month) => provider.GetRequiredService<IReports>().MonthlyAsync(month);

            public static Task<string> DailyAsync(IServiceProvider provider, int day) => Task.FromResult(provider.GetRequiredService<IReports>().Daily(day));
        }
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("cache-settings-").FullName;

    [Fact]
    public async Task A_method_turned_off_in_appsettings_runs_the_real_method_every_call_and_is_cached_again_when_turned_on()
    {
        using var consumer = ConsumerAssembly.Compile(Consumer);
        var prefix = Pods.UniquePrefix("switch");
        using var host = await StartAsync(consumer, prefix, """{ "Cache": { "Profiles": { "reports": { "LocalTtl": "1h" } } } }""");

        Assert.Equal("jan #1", await Call(consumer, host, "MonthlyAsync", "jan"));
        Assert.Equal("jan #1", await Call(consumer, host, "MonthlyAsync", "jan"));

        await RewriteAsync(host, """{ "Cache": { "Profiles": { "reports": { "LocalTtl": "1h" } }, "Methods": { "IReports.MonthlyAsync": { "Enabled": false } } } }""");
        await using var inspector = await redis.Server.ConnectAsync();
        var reads = await redis.Server.CommandCallsAsync("get");
        Assert.Equal("jan #2", await Call(consumer, host, "MonthlyAsync", "jan"));
        Assert.Equal("jan #3", await Call(consumer, host, "MonthlyAsync", "jan"));
        Assert.Equal("feb #4", await Call(consumer, host, "MonthlyAsync", "feb"));

        // No cache read or write: Redis saw no GET and has no "feb" entry; the other method is still cached.
        Assert.Equal(reads, await redis.Server.CommandCallsAsync("get"));
        Assert.False(await inspector.GetDatabase().KeyExistsAsync(prefix + ":report:feb"));
        Assert.Equal("day 1 #5", await Call(consumer, host, "DailyAsync", 1));
        Assert.Equal("day 1 #5", await Call(consumer, host, "DailyAsync", 1));

        await RewriteAsync(host, """{ "Cache": { "Profiles": { "reports": { "LocalTtl": "1h" } }, "Methods": { "IReports.MonthlyAsync": { "Enabled": true } } } }""");
        Assert.Equal("jan #1", await Call(consumer, host, "MonthlyAsync", "jan"));
        Assert.Equal("feb #6", await Call(consumer, host, "MonthlyAsync", "feb"));
        Assert.Equal("feb #6", await Call(consumer, host, "MonthlyAsync", "feb"));
        Assert.True(await inspector.GetDatabase().KeyExistsAsync(prefix + ":report:feb"));
        await host.StopAsync();
    }

    [Fact]
    public async Task A_profile_turned_off_covers_its_methods_and_a_changed_profile_TTL_applies_to_the_next_store()
    {
        using var consumer = ConsumerAssembly.Compile(Consumer);
        var prefix = Pods.UniquePrefix("profile");
        using var host = await StartAsync(consumer, prefix, """{ "Cache": { "FailSafe": false, "Profiles": { "reports": { "RedisTtl": "1h" } } } }""");
        await using var inspector = await redis.Server.ConnectAsync();

        Assert.Equal("jan #1", await Call(consumer, host, "MonthlyAsync", "jan"));
        Assert.InRange((await inspector.GetDatabase().KeyTimeToLiveAsync(prefix + ":report:jan"))!.Value.TotalMinutes, 55, 60);

        await RewriteAsync(host, """{ "Cache": { "FailSafe": false, "Profiles": { "reports": { "RedisTtl": "1h", "Enabled": false } } } }""");
        Assert.Equal("jan #2", await Call(consumer, host, "MonthlyAsync", "jan"));
        Assert.Equal("jan #3", await Call(consumer, host, "MonthlyAsync", "jan"));
        Assert.Equal("day 1 #4", await Call(consumer, host, "DailyAsync", 1));
        Assert.Equal("day 1 #4", await Call(consumer, host, "DailyAsync", 1));

        await RewriteAsync(host, """{ "Cache": { "FailSafe": false, "Profiles": { "reports": { "RedisTtl": "5m" } } } }""");
        Assert.Equal("mar #5", await Call(consumer, host, "MonthlyAsync", "mar"));
        Assert.Equal("mar #5", await Call(consumer, host, "MonthlyAsync", "mar"));
        Assert.InRange((await inspector.GetDatabase().KeyTimeToLiveAsync(prefix + ":report:mar"))!.Value.TotalMinutes, 4, 5);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_misspelt_kill_switch_is_a_warning_naming_it_at_startup_and_on_reload()
    {
        using var consumer = ConsumerAssembly.Compile(Consumer);
        var logs = new Logs();
        using var host = await StartAsync(consumer, Pods.UniquePrefix("typo"), """{ "Cache": { "Profiles": { "reports": { } }, "Methods": { "IReports.MonthlyAsnyc": { "Enabled": false } } } }""", logs);

        Assert.Equal("jan #1", await Call(consumer, host, "MonthlyAsync", "jan"));
        Assert.Equal("jan #1", await Call(consumer, host, "MonthlyAsync", "jan"));
        Assert.Contains(logs.Warnings, w => w.StartsWith("Cache:Methods:IReports.MonthlyAsnyc: no cached method has this name", StringComparison.Ordinal));

        var before = logs.Warnings.Count;
        await RewriteAsync(host, """{ "Cache": { "Profiles": { "reports": { } }, "Methods": { "ireports.monthlyasync": { "Enabled": false }, "IReports.Dayly": { "LocalTtl": "1m" } } } }""");

        Assert.Equal("jan #2", await Call(consumer, host, "MonthlyAsync", "jan"));
        Assert.True(logs.Warnings.Count == before + 1, string.Join("\n", logs.Warnings));
        Assert.Equal("Cache:Methods:IReports.Dayly: no cached method has this name", Assert.Single(logs.Warnings.Skip(before)).Split(", so")[0]);
        await host.StopAsync();
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<IHost> StartAsync(ConsumerAssembly consumer, string prefix, string appsettings, Logs? logs = null)
    {
        await File.WriteAllTextAsync(Path.Combine(_directory, "appsettings.json"), appsettings);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _directory, DisableDefaults = true });
        builder.Configuration.AddJsonFile(Path.Combine(_directory, "appsettings.json"), optional: false, reloadOnChange: false);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cache:KeyPrefix"] = prefix,
            ["Cache:RedisConnection"] = redis.Server.ConnectionString,
            ["Cache:RedisTimeout"] = "2s",
        });
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        builder.Services.AddMultiLayerCache(builder.Configuration);
        consumer.Assembly.GetType("Consumer.Setup", throwOnError: true)!.GetMethod("Register")!.Invoke(null, [builder.Services]);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>Rewrites appsettings.json and reloads, as the file watcher of <c>reloadOnChange</c> does after a deployment tool edits it.</summary>
    private async Task RewriteAsync(IHost host, string appsettings)
    {
        await File.WriteAllTextAsync(Path.Combine(_directory, "appsettings.json"), appsettings);
        ((IConfigurationRoot)host.Services.GetRequiredService<IConfiguration>()).Reload();
    }

    /// <summary>The warnings a host logs, in order.</summary>
    private sealed class Logs : ILoggerProvider, ILogger
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _warnings = new();

        public IReadOnlyList<string> Warnings => [.. _warnings];

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel == LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
            {
                _warnings.Enqueue(formatter(state, exception));
            }
        }

        public void Dispose()
        {
        }
    }

    private static Task<string> Call(ConsumerAssembly consumer, IHost host, string method, object argument) =>
        (Task<string>)consumer.Assembly.GetType("Consumer.Setup", throwOnError: true)!.GetMethod(method)!.Invoke(null, [host.Services, argument])!;
}
