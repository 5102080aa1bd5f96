using System.Diagnostics;
using System.Diagnostics.Metrics;
using Caching.Runtime.Tests.Infrastructure;
using Caching.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Caching.Runtime.Tests;

public sealed class ObservabilityTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task Metrics_report_requests_hits_by_layer_misses_duration_and_local_size()
    {
        var prefix = CacheFactory.UniquePrefix("metrics");
        using var meters = new TestMeterFactory();
        await using var podA = new MultiLayerCache(CacheFactory.Options(fixture.Redis, prefix), meterFactory: meters);
        await using var podB = new MultiLayerCache(CacheFactory.Options(fixture.Redis, prefix), meterFactory: meters);
        await podA.ProbeRedisAsync();
        await podB.ProbeRedisAsync();
        var measurements = new List<(string Name, double Value, string? Layer)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Caching" && ReferenceEquals(instrument.Meter.Scope, meters))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? layer = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "layer")
                {
                    layer = (string?)tag.Value;
                }
            }

            lock (measurements)
            {
                measurements.Add((instrument.Name, value, layer));
            }
        }

        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        listener.Start();

        await podA.GetOrSetAsync("k", _ => ValueTask.FromResult("v"));
        await podA.GetOrSetAsync("k", _ => ValueTask.FromResult("v"));
        await podB.GetOrSetAsync("k", _ => ValueTask.FromResult("v"));
        listener.RecordObservableInstruments();

        // Requests, hits and misses are observable counters: each pod reports its running totals once per collection.
        Assert.Equal(3, measurements.Where(m => m.Name == "cache_requests").Sum(m => m.Value));
        Assert.Equal(1, measurements.Where(m => m.Name == "cache_hits" && m.Layer == "local").Sum(m => m.Value));
        Assert.Equal(1, measurements.Where(m => m.Name == "cache_hits" && m.Layer == "redis").Sum(m => m.Value));
        Assert.Equal(1, measurements.Where(m => m.Name == "cache_misses").Sum(m => m.Value));
        Assert.Contains(measurements, m => m.Name == "cache_operation_duration" && m.Value > 0);
        Assert.Contains(measurements, m => m.Name == "cache_local_size" && m.Value > 0);
        Assert.Contains(measurements, m => m.Name == "cache_local_max_size" && m.Value == 100L * 1024 * 1024);
    }

    [Fact]
    public async Task Loads_and_invalidations_are_traced()
    {
        var activities = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == CacheActivity.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (activities)
                {
                    activities.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        var prefix = CacheFactory.UniquePrefix("trace");
        await using var cache = CacheFactory.Create(fixture.Redis, prefix, o => o.TraceKeys = true);

        await cache.GetOrSetAsync("traced", _ => ValueTask.FromResult(1));
        await cache.RemoveAsync("traced");

        lock (activities)
        {
            Assert.Contains(activities, a => a.OperationName == "cache.get_or_set" && (string?)a.GetTagItem("cache.key") == "traced" && (string?)a.GetTagItem("cache.tier") == "Source");
            Assert.Contains(activities, a => a.OperationName == "cache.invalidate" && (string?)a.GetTagItem("cache.target") == "traced");
        }
    }

    [Fact]
    public async Task Health_check_is_Healthy_with_Redis_and_Degraded_without_it()
    {
        await using var redis = new RedisServer();
        await using var cache = CacheFactory.Create(redis, CacheFactory.UniquePrefix("health"));
        var check = new CacheHealthCheck(cache);

        var healthy = await check.CheckHealthAsync(new HealthCheckContext());
        redis.Stop();
        var degraded = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Healthy, healthy.Status);
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Equal("unreachable", degraded.Data["redis"]);
        Assert.Equal("ok", degraded.Data["local"]);
    }

    [Fact]
    public async Task AddMultiLayerCache_binds_configuration_and_registers_the_cache_and_its_health_check()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cache:KeyPrefix"] = CacheFactory.UniquePrefix("di"),
            ["Cache:LocalTtl"] = "2m",
            ["CACHE_REDIS_CONNECTION"] = fixture.Redis.ConnectionString,
            ["Cache:Profiles:fast-changing:LocalTtl"] = "10s",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddMultiLayerCache(configuration);
        services.AddHealthChecks().AddMultiLayerCache();
        await using var provider = services.BuildServiceProvider();

        var cache = provider.GetRequiredService<IMultiLayerCache>();
        var concrete = provider.GetRequiredService<MultiLayerCache>();
        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Same(cache, concrete);
        Assert.Equal(TimeSpan.FromMinutes(2), concrete.Options.LocalTtl);
        Assert.Equal(TimeSpan.FromSeconds(10), concrete.Options.Profiles["FAST-CHANGING"].LocalTtl);
        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal(42, await cache.GetOrSetAsync("x", _ => ValueTask.FromResult(42)));
    }

    [Fact]
    public void A_bad_setting_stops_startup_with_a_message_naming_the_variable()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["CACHE_LOCAL_TTL"] = "5 minutes" }).Build();

        using var provider = new ServiceCollection().AddMultiLayerCache(configuration).BuildServiceProvider();

        // The options system reads the configuration when the cache is first needed (a host: when it starts).
        var error = Assert.Throws<CacheConfigurationException>(() => provider.GetRequiredService<IMultiLayerCache>());

        Assert.Equal("CACHE_LOCAL_TTL", error.Setting);
        Assert.Contains("CACHE_LOCAL_TTL", error.Message, StringComparison.Ordinal);
        Assert.Contains("5 minutes", error.Message, StringComparison.Ordinal);
    }
}
