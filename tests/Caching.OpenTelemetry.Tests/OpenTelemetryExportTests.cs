using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Caching.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Caching.OpenTelemetry.Tests;

/// <summary>
/// The cache's telemetry as OpenTelemetry exports it: the SDK with its in-memory exporter, and the Prometheus exporter
/// scraped over HTTP, against a real redis-server. One class: an OpenTelemetry provider listens to every "Caching"
/// meter and source in the process, so these tests must not run beside each other.
/// </summary>
public sealed class OpenTelemetryExportTests : IDisposable
{
    private readonly RedisServer _redis = new();

    [Fact]
    public async Task A_miss_a_local_hit_and_a_Redis_hit_are_exported_with_the_seed_names_tags_and_values()
    {
        var exported = new List<MetricSnapshot>();
        using var meters = Sdk.CreateMeterProviderBuilder()
            .AddMultiLayerCacheInstrumentation()
            .AddInMemoryExporter(exported)
            .Build();
        await using var cache = await CreateCacheAsync();

        Assert.Equal("v", await cache.GetOrSetAsync("k", _ => ValueTask.FromResult("v")));
        Assert.Equal("v", await cache.GetOrSetAsync("k", _ => ValueTask.FromResult("other")));
        Assert.Equal("v", await cache.GetOrSetAsync("k", _ => ValueTask.FromResult("other"), new CacheEntryOptions { SkipLocal = true }));
        Assert.True(meters.ForceFlush());

        Assert.Equal(3, Sum(exported, "cache_requests"));
        Assert.Equal(1, Sum(exported, "cache_hits", ("layer", "local")));
        Assert.Equal(1, Sum(exported, "cache_hits", ("layer", "redis")));
        Assert.Equal(1, Sum(exported, "cache_misses"));

        // The two calls that left L1; an L1 hit is not timed (it costs tens of nanoseconds).
        var duration = Single(exported, "cache_operation_duration");
        Assert.Equal("s", duration.Unit);
        Assert.Equal(MetricType.Histogram, duration.MetricType);
        var getOrSet = Assert.Single(duration.MetricPoints, p => Tag(p, "operation") == "get_or_set");
        Assert.Equal(2, getOrSet.GetHistogramCount());

        var size = Single(exported, "cache_local_size");
        Assert.Equal("By", size.Unit);
        Assert.True(Assert.Single(size.MetricPoints).GetGaugeLastValueLong() > 0);
        var budget = Single(exported, "cache_local_max_size");
        Assert.Equal("By", budget.Unit);
        Assert.Equal(100L * 1024 * 1024, Assert.Single(budget.MetricPoints).GetGaugeLastValueLong());
    }

    [Fact]
    public async Task The_Prometheus_exporter_shows_the_seed_metric_names()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddMultiLayerCache(Options());
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMultiLayerCacheInstrumentation().AddPrometheusExporter());
        await using var app = builder.Build();
        app.MapPrometheusScrapingEndpoint("/metrics");
        await app.StartAsync();
        var cache = app.Services.GetRequiredService<IMultiLayerCache>();

        await cache.GetOrSetAsync("k", _ => ValueTask.FromResult("v"));
        await cache.GetOrSetAsync("k", _ => ValueTask.FromResult("v"));
        await cache.GetOrSetAsync("k", _ => ValueTask.FromResult("v"), new CacheEntryOptions { SkipLocal = true });
        await cache.RemoveAsync("k");
        _redis.Stop();
        Assert.False((await cache.GetAsync<string>("k", new CacheEntryOptions { SkipLocal = true })).Found);
        using var response = await app.GetTestClient().GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertSample(text, "cache_requests_total", null, 4);
        AssertSample(text, "cache_hits_total", "layer=\"local\"", 1);
        AssertSample(text, "cache_hits_total", "layer=\"redis\"", 1);
        AssertSample(text, "cache_misses_total", null, 2);
        AssertSample(text, "cache_errors_total", "operation=\"GET\"", 1);
        AssertSample(text, "cache_invalidations_total", "kind=\"key\"", 1);
        AssertSample(text, "cache_operation_duration_seconds_count", "operation=\"get_or_set\"", 2);
        AssertSample(text, "cache_local_max_size_bytes", null, 100L * 1024 * 1024);
        Assert.Matches(new Regex(@"^cache_operation_duration_seconds_bucket\{[^}]*le=""1[eE]-05""[^}]*\} \d+", RegexOptions.Multiline), text);
        Assert.Matches(new Regex(@"^cache_local_size_bytes(\{[^}]*\})? \d+", RegexOptions.Multiline), text);
        Assert.Contains("# TYPE cache_requests_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE cache_operation_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE cache_local_size_bytes gauge", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Redis_read_is_a_client_span_under_the_load_with_the_database_attributes()
    {
        var spans = new List<Activity>();
        using var tracer = Sdk.CreateTracerProviderBuilder()
            .AddMultiLayerCacheInstrumentation()
            .AddInMemoryExporter(spans)
            .Build();
        await using var cache = await CreateCacheAsync();
        var key = "traced:" + Guid.NewGuid().ToString("N");

        await cache.GetOrSetAsync(key, _ => ValueTask.FromResult(1));
        await cache.GetOrSetAsync(key, _ => ValueTask.FromResult(2), new CacheEntryOptions { SkipLocal = true });
        Assert.True(tracer.ForceFlush());

        var loads = spans.Where(s => s.OperationName == "cache.get_or_set" && (string?)s.GetTagItem("cache.key") == key).ToList();
        Assert.Equal(["Source", "Redis"], loads.Select(s => (string?)s.GetTagItem("cache.tier")));
        var miss = Children(spans, loads[0]);
        var hit = Children(spans, loads[1]);

        var missRead = Assert.Single(miss, s => s.OperationName == "cache.redis.get");
        AssertRedisSpan(missRead, "GET");
        Assert.Equal(false, missRead.GetTagItem("cache.hit"));
        var store = Assert.Single(miss, s => s.OperationName == "cache.redis.set");
        AssertRedisSpan(store, "EVALSHA");
        Assert.Equal(true, store.GetTagItem("cache.stored"));

        var hitRead = Assert.Single(hit, s => s.OperationName == "cache.redis.get");
        AssertRedisSpan(hitRead, "GET");
        Assert.Equal(true, hitRead.GetTagItem("cache.hit"));
        Assert.Equal(ActivityStatusCode.Unset, hitRead.Status);
    }

    [Fact]
    public async Task A_Redis_read_that_fails_is_an_error_span_while_the_load_succeeds()
    {
        var spans = new List<Activity>();
        using var tracer = Sdk.CreateTracerProviderBuilder()
            .AddMultiLayerCacheInstrumentation()
            .AddInMemoryExporter(spans)
            .Build();
        await using var cache = await CreateCacheAsync();
        var key = "down:" + Guid.NewGuid().ToString("N");

        _redis.Stop();
        Assert.Equal(7, await cache.GetOrSetAsync(key, _ => ValueTask.FromResult(7)));
        Assert.True(tracer.ForceFlush());

        var load = Assert.Single(spans, s => s.OperationName == "cache.get_or_set" && (string?)s.GetTagItem("cache.key") == key);
        Assert.Equal(ActivityStatusCode.Unset, load.Status);
        var read = Assert.Single(Children(spans, load), s => s.OperationName == "cache.redis.get");
        Assert.Equal(ActivityStatusCode.Error, read.Status);
        Assert.NotNull(read.GetTagItem("error.type"));
        Assert.Null(read.GetTagItem("cache.hit"));
    }

    [Fact]
    public async Task By_default_spans_carry_neither_keys_nor_invalidation_targets()
    {
        var spans = new List<Activity>();
        using var tracer = Sdk.CreateTracerProviderBuilder()
            .AddMultiLayerCacheInstrumentation()
            .AddInMemoryExporter(spans)
            .Build();
        await using var cache = await CreateCacheAsync(traceKeys: false);

        await cache.GetOrSetAsync("user:42:email", _ => ValueTask.FromResult("ada@example.com"));
        await cache.InvalidatePatternAsync("user:42:*");
        Assert.True(tracer.ForceFlush());

        Assert.Contains(spans, s => s.OperationName == "cache.get_or_set");
        Assert.Contains(spans, s => s.OperationName == "cache.invalidate");
        Assert.DoesNotContain(spans, s => s.Tags.Any(t => t.Value?.Contains("user:42", StringComparison.Ordinal) == true));
    }

    public void Dispose() => _redis.Dispose();

    private MultiLayerCacheOptions Options() => new()
    {
        KeyPrefix = "otel-" + Guid.NewGuid().ToString("N")[..8],
        RedisConnection = _redis.ConnectionString,
        RedisTimeout = TimeSpan.FromSeconds(2),
    };

    private async Task<MultiLayerCache> CreateCacheAsync(bool traceKeys = true)
    {
        var options = Options();
        options.TraceKeys = traceKeys;
        var cache = new MultiLayerCache(options);
        Assert.True(await cache.ProbeRedisAsync(), "Redis answers before the test starts");
        return cache;
    }

    private void AssertRedisSpan(Activity span, string command)
    {
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("redis", span.GetTagItem("db.system.name"));
        Assert.Equal(command, span.GetTagItem("db.operation.name"));
        Assert.Equal("127.0.0.1", span.GetTagItem("server.address"));
        Assert.Equal(_redis.Port, span.GetTagItem("server.port"));
    }

    private static List<Activity> Children(List<Activity> spans, Activity parent) =>
        [.. spans.Where(s => s.TraceId == parent.TraceId && s.ParentSpanId == parent.SpanId)];

    private static MetricSnapshot Single(List<MetricSnapshot> exported, string name) =>
        exported.Last(m => m.Name == name);

    /// <summary>The last exported value of a counter (cumulative), summed over the points that carry <paramref name="tag"/>.</summary>
    private static long Sum(List<MetricSnapshot> exported, string name, (string Key, string Value)? tag = null)
    {
        var metric = Single(exported, name);
        Assert.Equal(MetricType.LongSum, metric.MetricType);
        return metric.MetricPoints.Where(p => tag is null || Tag(p, tag.Value.Key) == tag.Value.Value).Sum(p => p.GetSumLong());
    }

    private static string? Tag(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key)
            {
                return tag.Value as string;
            }
        }

        return null;
    }

    /// <summary>A Prometheus sample line: the name, labels including <paramref name="label"/>, and the value.</summary>
    private static void AssertSample(string text, string name, string? label, long value)
    {
        var labels = label is null ? @"(\{[^}]*\})?" : @"\{[^}]*" + Regex.Escape(label) + @"[^}]*\}";
        var pattern = new Regex("^" + Regex.Escape(name) + labels + " " + value.ToString(System.Globalization.CultureInfo.InvariantCulture) + @"(\s|$)", RegexOptions.Multiline);
        Assert.True(pattern.IsMatch(text), $"no sample {name}{(label is null ? string.Empty : "{" + label + "}")} {value} in:\n{text}");
    }
}
