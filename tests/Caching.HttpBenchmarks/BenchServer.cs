using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Caching.AspNetCore;

namespace Caching.HttpBenchmarks;

/// <summary>
/// One contestant: a minimal app serving <c>GET /data?id=N</c> (about 2 KB of JSON after a 20 ms source latency), cached
/// one of five ways, plus <c>/__bench/stats</c> and <c>/__bench/reset</c> for the driver.
/// </summary>
internal static class BenchServer
{
    public const int SourceLatencyMs = 20;

    public static async Task<int> RunAsync(string[] args)
    {
        var variant = Variant.Parse(Arg(args, "--variant"));
        var port = int.Parse(Arg(args, "--port"), CultureInfo.InvariantCulture);
        var redis = Arg(args, "--redis");

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, BenchJson.Default));
        var counters = new Counters();
        builder.Services.AddSingleton(counters);

        switch (variant.Kind)
        {
            case Kind.Ours:
            case Kind.OutputCacheOurs:
                builder.Services.AddMultiLayerCache(builder.Configuration, o =>
                {
                    o.RedisConnection = redis;
                    o.KeyPrefix = "bench-" + variant.Name;
                    o.LocalEnabled = variant.LocalEnabled;
                });
                if (variant.Kind == Kind.Ours)
                {
                    builder.Services.AddMultiLayerResponseCache();
                }
                else
                {
                    builder.Services.AddOutputCache();
                    builder.Services.AddMultiLayerOutputCacheStore();
                }

                break;
            case Kind.OutputCacheRedis:
                builder.Services.AddOutputCache();
                builder.Services.AddStackExchangeRedisOutputCache(o =>
                {
                    o.Configuration = redis;
                    o.InstanceName = "bench-" + variant.Name + ":";
                });
                break;
        }

        var app = builder.Build();

        // Before the cache: counts every request the client sent, and (when asked) the distinct URLs among them.
        app.Use((context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments("/__bench"))
            {
                counters.Request(context.Request);
            }

            return next(context);
        });

        switch (variant.Kind)
        {
            case Kind.Ours:
                app.UseMultiLayerResponseCache();
                break;
            case Kind.OutputCacheRedis or Kind.OutputCacheOurs:
                app.UseOutputCache();
                break;
        }

        var data = app.MapGet("/data", async (int id, Counters c) =>
        {
            c.EndpointRan();
            await Task.Delay(SourceLatencyMs).ConfigureAwait(false);
            return Results.Json(Payload.For(id), BenchJson.Default.Payload);
        });

        // The same lifetime everywhere; both key on path and the whole query.
        var ttl = TimeSpan.FromMinutes(30);
        switch (variant.Kind)
        {
            case Kind.Ours:
                data.CacheResponse(ttl);
                break;
            case Kind.OutputCacheRedis or Kind.OutputCacheOurs:
                data.CacheOutput(p => p.Expire(ttl).SetVaryByQuery("*"));
                break;
        }

        app.MapGet("/__bench/stats", (Counters c) => Results.Json(c.Snapshot(), BenchJson.Default.Stats));
        app.MapPost("/__bench/reset", (Counters c, bool? trackUrls) => Results.Json(c.Reset(trackUrls ?? false), BenchJson.Default.Stats));

        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }

    private static string Arg(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : throw new ArgumentException($"serve needs {name}.");
    }
}

internal enum Kind
{
    None,
    Ours,
    OutputCacheRedis,
    OutputCacheOurs,
}

/// <summary>A contestant: how the endpoint is cached, and whether the two-tier cache's L1 is on.</summary>
internal sealed record Variant(string Name, Kind Kind, bool LocalEnabled, string Description)
{
    public static readonly Variant Ours = new("ours", Kind.Ours, true, ".CacheResponse(), L1 + Redis");
    public static readonly Variant OursL1Off = new("ours-l1off", Kind.Ours, false, ".CacheResponse(), Redis only (L1 off)");
    public static readonly Variant OutputCacheRedis = new("oc-redis", Kind.OutputCacheRedis, true, "OutputCache + Microsoft's Redis store");
    public static readonly Variant OutputCacheOurs = new("oc-ours", Kind.OutputCacheOurs, true, "OutputCache + MultiLayerOutputCacheStore");
    public static readonly Variant OutputCacheOursL1Off = new("oc-ours-l1off", Kind.OutputCacheOurs, false, "OutputCache + MultiLayerOutputCacheStore, L1 off");
    public static readonly Variant NoCache = new("none", Kind.None, true, "no cache");

    public static readonly IReadOnlyList<Variant> All = [Ours, OursL1Off, OutputCacheRedis, OutputCacheOurs, OutputCacheOursL1Off, NoCache];

    public static Variant Parse(string name) =>
        All.FirstOrDefault(v => v.Name == name) ?? throw new ArgumentException($"Unknown variant '{name}'.");
}

/// <summary>What the driver reads around each wrk run; no locks on the request path beyond one interlocked add.</summary>
internal sealed class Counters
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _urls = new(StringComparer.Ordinal);
    private long _requests;
    private long _runs;
    private volatile bool _trackUrls;

    public void Request(HttpRequest request)
    {
        Interlocked.Increment(ref _requests);
        if (_trackUrls)
        {
            // Only in the cold scenario, whose number is runs, not speed: the string would add to allocations per request.
            _urls.TryAdd(request.Path.Value + request.QueryString.Value, 0);
        }
    }

    public void EndpointRan() => Interlocked.Increment(ref _runs);

    /// <summary>Starts or stops tracking URLs; returns the counts as they were, distinct URLs included, then forgets the URLs.</summary>
    public Stats Reset(bool trackUrls)
    {
        _trackUrls = trackUrls;
        var before = Snapshot();
        _urls.Clear();
        return before;
    }

    public Stats Snapshot() => new(
        Interlocked.Read(ref _requests),
        Interlocked.Read(ref _runs),
        GC.GetTotalAllocatedBytes(precise: true),
        _urls.Count);
}

internal sealed record Stats(long Requests, long Runs, long AllocatedBytes, int DistinctUrls);

/// <summary>The ~2 KB body: a page of GPU offers, the same for one id on every contestant.</summary>
internal sealed record Payload(int Id, string Region, Offer[] Offers)
{
    private static readonly string[] Regions = ["us-east", "us-west", "eu-west", "eu-central", "ap-south", "ap-northeast"];

    public static Payload For(int id)
    {
        var offers = new Offer[12];
        for (var i = 0; i < offers.Length; i++)
        {
            var n = (id * 31) + i;
            offers[i] = new Offer(
                $"gpu-{n:D5}",
                $"NVIDIA H100 SXM 80GB #{n}",
                Regions[n % Regions.Length],
                Math.Round(1.5m + ((n % 97) / 50m), 2),
                n % 3 == 0 ? "available" : "running");
        }

        return new Payload(id, Regions[id % Regions.Length], offers);
    }
}

internal sealed record Offer(string Id, string Name, string Region, decimal HourlyPrice, string Status);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Payload))]
[JsonSerializable(typeof(Stats))]
internal sealed partial class BenchJson : JsonSerializerContext;
