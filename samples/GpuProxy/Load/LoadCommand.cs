using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace GpuProxy.Load;

/// <summary>
/// Drives the seed's scenario against a running GpuProxy and prints its table, measured live: per endpoint, latency
/// against the source (a cold phase right after invalidating the whole cache) and with the cache (a warm phase of
/// skewed traffic over many keys with writes now and then), the p50 gain, and hit rates per tier.
/// </summary>
internal static class LoadCommand
{
    private const string DevApiKey = "dev-only-cache-admin-key";

    private static readonly (Op Op, double Weight)[] ReadMix =
        [(Op.Instance, 0.35), (Op.List, 0.20), (Op.Profile, 0.25), (Op.Credits, 0.12), (Op.Models, 0.08)];

    private static readonly (Op Op, double Weight)[] WriteMix =
        [(Op.PutProfile, 0.7), (Op.PutInstance, 0.25), (Op.PostInstance, 0.05)];

    private enum Op
    {
        Instance,
        List,
        Profile,
        Credits,
        Models,
        PutProfile,
        PutInstance,
        PostInstance,
    }

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(LoadOptions.Usage);
            return 0;
        }

        LoadOptions options;
        try
        {
            options = LoadOptions.Parse(args);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or UriFormatException)
        {
            await Console.Error.WriteLineAsync(ex.Message + Environment.NewLine + LoadOptions.Usage).ConfigureAwait(false);
            return 2;
        }

        if (!options.AllowRemote && !IsLocal(options.Target))
        {
            await Console.Error.WriteLineAsync($"Refusing to load {options.Target}: it is not this machine (pass --allow-remote to insist).").ConfigureAwait(false);
            return 2;
        }

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = options.Concurrency * 2, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        using var client = new HttpClient(handler) { BaseAddress = options.Target, Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            using var health = await client.GetAsync(new Uri("/health", UriKind.Relative)).ConfigureAwait(false);
            Console.WriteLine($"GpuProxy at {options.Target} is up: /health says {await health.Content.ReadAsStringAsync().ConfigureAwait(false)}.");
        }
        catch (HttpRequestException ex)
        {
            await Console.Error.WriteLineAsync($"Cannot reach {options.Target}: {ex.Message}. Start it first: dotnet run --project samples/GpuProxy").ConfigureAwait(false);
            return 1;
        }

        var models = await client.GetFromJsonAsync<List<ModelDto>>(new Uri("/api/models", UriKind.Relative)).ConfigureAwait(false) ?? [];
        var combos = ListCombos(models.Select(m => m.Id).ToList());

        // Cold phase: every request below asks for a key nobody asked for since the invalidation, so it reaches the source.
        var invalidated = await InvalidateAllAsync(client, options).ConfigureAwait(false);
        Console.WriteLine(invalidated
            ? "Cache invalidated (pattern \"*\"): the cold phase measures the source."
            : "WARNING: could not invalidate the cache (API key?); the source column may include cached answers.");
        var cold = NewStats();
        var coldWork = ColdRequests(options, combos);
        await RunPhaseAsync("cold (source)", client, coldWork.Count, Math.Min(options.Concurrency, 8), null, cold, coldWork, options, combos).ConfigureAwait(false);

        // Warm phase: skewed traffic over many keys, with writes that invalidate now and then.
        var before = await ScrapeAsync(client).ConfigureAwait(false);
        var warm = NewStats();
        await RunPhaseAsync("warm (cached)", client, int.MaxValue, options.Concurrency, options.Duration, warm, null, options, combos).ConfigureAwait(false);
        var after = await ScrapeAsync(client).ConfigureAwait(false);

        PrintTable(cold, warm, before, after, options);
        return 0;
    }

    private static Dictionary<Op, EndpointStats> NewStats() => new()
    {
        [Op.List] = new("GET  /api/gpu/instances", "http"),
        [Op.Models] = new("GET  /api/models", "http"),
        [Op.Instance] = new("GET  /api/gpu/instances/{id}", "service"),
        [Op.Profile] = new("GET  /api/users/{id}/profile", "service"),
        [Op.Credits] = new("GET  /api/users/{id}/credits", "service"),
        [Op.PutProfile] = new("PUT  /api/users/{id}/profile", "-"),
        [Op.PutInstance] = new("PUT  /api/gpu/instances/{id}", "-"),
        [Op.PostInstance] = new("POST /api/gpu/instances", "-"),
    };

    private static List<(string? Region, string? Model)> ListCombos(List<string> models)
    {
        var combos = new List<(string?, string?)> { (null, null) };
        foreach (var region in Data.GpuDatabase.Regions)
        {
            combos.Add((region, null));
            combos.AddRange(models.Select(m => ((string?)region, (string?)m)));
        }

        combos.AddRange(models.Select(m => ((string?)null, (string?)m)));
        return combos;
    }

    private static List<(Op Op, int Key)> ColdRequests(LoadOptions options, List<(string? Region, string? Model)> combos)
    {
        var random = new Random(options.Seed);
        var work = new List<(Op, int)>();
        void Distinct(Op op, int keySpace)
        {
            var keys = Enumerable.Range(0, keySpace).ToArray();
            random.Shuffle(keys);
            work.AddRange(keys.Take(options.ColdSamples).Select(k => (op, k)));
        }

        Distinct(Op.Instance, options.Instances);
        Distinct(Op.Profile, options.Users);
        Distinct(Op.Credits, options.Users);
        Distinct(Op.List, combos.Count);

        // One catalog key only: "Cache-Control: no-cache" makes the middleware ask the (undecorated) catalog each time.
        work.AddRange(Enumerable.Repeat((Op.Models, -1), options.ColdSamples));
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(work));
        return work;
    }

    private static async Task RunPhaseAsync(
        string label,
        HttpClient client,
        int maxRequests,
        int concurrency,
        TimeSpan? duration,
        Dictionary<Op, EndpointStats> stats,
        List<(Op Op, int Key)>? script,
        LoadOptions options,
        List<(string? Region, string? Model)> combos)
    {
        var total = script?.Count ?? 0;
        var next = -1;
        var done = 0;
        var errors = 0;
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        if (duration is { } d)
        {
            stop.CancelAfter(d);
        }

        var instanceZipf = new Zipf(options.Instances, options.Skew, new Random(options.Seed));
        var userZipf = new Zipf(options.Users, options.Skew, new Random(options.Seed + 1));
        var comboZipf = new Zipf(combos.Count, options.Skew, new Random(options.Seed + 2));

        async Task Worker(int id)
        {
            var random = new Random(options.Seed * 31 + id);
            while (!stop.IsCancellationRequested)
            {
                Op op;
                int key;
                if (script is not null)
                {
                    var index = Interlocked.Increment(ref next);
                    if (index >= script.Count)
                    {
                        return;
                    }

                    (op, key) = script[index];
                }
                else
                {
                    op = random.NextDouble() < options.WriteRatio ? Pick(WriteMix, random) : Pick(ReadMix, random);
                    key = op switch
                    {
                        Op.Instance or Op.PutInstance => instanceZipf.Next(random),
                        Op.Profile or Op.Credits or Op.PutProfile => userZipf.Next(random),
                        Op.List => comboZipf.Next(random),
                        _ => -1,
                    };
                }

                using var request = BuildRequest(op, key, combos, cold: script is not null, random);
                var started = Stopwatch.GetTimestamp();
                bool ok;
                string? xCache = null;
                try
                {
                    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, CancellationToken.None).ConfigureAwait(false);
                    ok = response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotFound;
                    if (response.Headers.TryGetValues("X-Cache", out var values))
                    {
                        xCache = values.FirstOrDefault();
                    }
                }
                catch (HttpRequestException)
                {
                    ok = false;
                }
                catch (TaskCanceledException)
                {
                    ok = false;
                }

                stats[op].Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, xCache, ok);
                Interlocked.Increment(ref done);
                if (!ok)
                {
                    Interlocked.Increment(ref errors);
                }

                if (Volatile.Read(ref done) >= maxRequests)
                {
                    return;
                }
            }
        }

        var workers = Enumerable.Range(0, concurrency).Select(Worker).ToArray();
        var all = Task.WhenAll(workers);
        var interactive = !Console.IsOutputRedirected;
        var lastLine = TimeSpan.Zero;
        while (!all.IsCompleted)
        {
            await Task.WhenAny(all, Task.Delay(interactive ? 200 : 1000)).ConfigureAwait(false);
            var elapsed = clock.Elapsed;
            if (!interactive && elapsed - lastLine < TimeSpan.FromSeconds(5) && !all.IsCompleted)
            {
                continue;
            }

            lastLine = elapsed;
            var fraction = duration is { } length ? Math.Min(1, elapsed / length) : total == 0 ? 1 : (double)Volatile.Read(ref done) / total;
            var line = Progress(label, fraction, elapsed, Volatile.Read(ref done), Volatile.Read(ref errors));
            if (interactive)
            {
                Console.Write("\r" + line);
            }
            else
            {
                Console.WriteLine(line);
            }
        }

        if (interactive)
        {
            Console.WriteLine();
        }

        await all.ConfigureAwait(false);
    }

    private static string Progress(string label, double fraction, TimeSpan elapsed, int done, int errors)
    {
        const int width = 30;
        var filled = (int)Math.Round(fraction * width);
        var rate = elapsed.TotalSeconds > 0 ? done / elapsed.TotalSeconds : 0;
        return string.Create(CultureInfo.InvariantCulture,
            $"{label,-14} [{new string('#', filled)}{new string('.', width - filled)}] {fraction,4:P0} {elapsed.TotalSeconds,5:F1}s {done,8:N0} req {rate,7:N0} req/s  errors {errors}");
    }

    private static Op Pick((Op Op, double Weight)[] mix, Random random)
    {
        var roll = random.NextDouble() * mix.Sum(m => m.Weight);
        foreach (var (op, weight) in mix)
        {
            roll -= weight;
            if (roll <= 0)
            {
                return op;
            }
        }

        return mix[^1].Op;
    }

    private static HttpRequestMessage BuildRequest(Op op, int key, List<(string? Region, string? Model)> combos, bool cold, Random random)
    {
        static string Instance(int k) => Data.GpuDatabase.InstanceId(k + 1);
        static string User(int k) => Data.GpuDatabase.UserId(k + 1);
        switch (op)
        {
            case Op.Instance:
                return new HttpRequestMessage(HttpMethod.Get, $"/api/gpu/instances/{Instance(key)}");
            case Op.List:
                var (region, model) = combos[key];
                var query = new StringBuilder();
                if (region is not null)
                {
                    query.Append("region=").Append(region);
                }

                if (model is not null)
                {
                    query.Append(query.Length > 0 ? "&" : string.Empty).Append("model=").Append(model);
                }

                return new HttpRequestMessage(HttpMethod.Get, "/api/gpu/instances" + (query.Length > 0 ? "?" + query : string.Empty));
            case Op.Profile:
                return new HttpRequestMessage(HttpMethod.Get, $"/api/users/{User(key)}/profile");
            case Op.Credits:
                return new HttpRequestMessage(HttpMethod.Get, $"/api/users/{User(key)}/credits");
            case Op.Models:
                var models = new HttpRequestMessage(HttpMethod.Get, "/api/models");
                if (cold)
                {
                    models.Headers.CacheControl = new System.Net.Http.Headers.CacheControlHeaderValue { NoCache = true };
                }

                return models;
            case Op.PutProfile:
                return new HttpRequestMessage(HttpMethod.Put, $"/api/users/{User(key)}/profile")
                {
                    Content = JsonContent.Create(new { displayName = "Load Tester " + random.Next(1000).ToString(CultureInfo.InvariantCulture) }),
                };
            case Op.PutInstance:
                return new HttpRequestMessage(HttpMethod.Put, $"/api/gpu/instances/{Instance(key)}")
                {
                    Content = JsonContent.Create(new { status = random.Next(2) == 0 ? "available" : "running" }),
                };
            default:
                var (r, _) = combos[1 + random.Next(combos.Count - 1)];
                return new HttpRequestMessage(HttpMethod.Post, "/api/gpu/instances")
                {
                    Content = JsonContent.Create(new { name = "load-test", modelId = "l4-24gb", region = r ?? "us-east" }),
                };
        }
    }

    private static async Task<bool> InvalidateAllAsync(HttpClient client, LoadOptions options)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/cache/invalidate") { Content = JsonContent.Create(new { pattern = "*" }) };
        request.Headers.Add("X-Api-Key", options.ApiKey ?? DevApiKey);
        using var response = await client.SendAsync(request).ConfigureAwait(false);
        return response.IsSuccessStatusCode;
    }

    private static async Task<string> ScrapeAsync(HttpClient client)
    {
        try
        {
            return await client.GetStringAsync(new Uri("/metrics", UriKind.Relative)).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            return string.Empty;
        }
    }

    private static void PrintTable(Dictionary<Op, EndpointStats> cold, Dictionary<Op, EndpointStats> warm, string before, string after, LoadOptions options)
    {
        static string Ms(double value) => double.IsNaN(value) ? "-" : value.ToString(value < 10 ? "F2" : "F1", CultureInfo.InvariantCulture);
        static string Pct(double value) => double.IsNaN(value) ? "-" : value.ToString("P1", CultureInfo.InvariantCulture);

        Console.WriteLine();
        Console.WriteLine($"Warm phase: {options.Duration.TotalSeconds:F0} s, {options.Concurrency} clients, Zipf s={options.Skew.ToString(CultureInfo.InvariantCulture)} over {options.Instances:N0} instances / {options.Users:N0} users, {options.WriteRatio:P1} writes.");
        Console.WriteLine("Latency in ms. 'source' = cold phase (first request per key after invalidating); 'cached' = warm phase, all requests.");
        Console.WriteLine();
        var header = $"{"endpoint",-30} {"cached by",-9} | {"source p50",10} {"p99",7} | {"cached p50",10} {"p99",7} | {"p50 gain",8} | {"HIT-LOCAL",9} {"HIT-REDIS",9} {"MISS",6} | {"requests",8}";
        Console.WriteLine(header);
        Console.WriteLine(new string('-', header.Length));
        foreach (var op in Enum.GetValues<Op>())
        {
            var c = cold[op];
            var w = warm[op];
            if (c.Count == 0 && w.Count == 0)
            {
                continue;
            }

            var gain = c.Percentile(0.5) / w.Percentile(0.5);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{w.Name,-30} {w.CachedBy,-9} | {Ms(c.Percentile(0.5)),10} {Ms(c.Percentile(0.99)),7} | {Ms(w.Percentile(0.5)),10} {Ms(w.Percentile(0.99)),7} | {(double.IsNaN(gain) ? "-" : gain.ToString("F0", CultureInfo.InvariantCulture) + "x"),8} | {Pct(w.XCacheShare("HIT-LOCAL")),9} {Pct(w.XCacheShare("HIT-REDIS")),9} {Pct(w.XCacheShare("MISS")),6} | {w.Count,8:N0}{(w.Errors > 0 ? $" ({w.Errors} errors)" : string.Empty)}"));
        }

        if (before.Length == 0 || after.Length == 0)
        {
            Console.WriteLine("\n/metrics was not readable: no per-tier totals.");
            return;
        }

        double Delta(string metric, params string[] labels) => PrometheusText.Sum(after, metric, labels) - PrometheusText.Sum(before, metric, labels);
        var requests = Delta("cache_requests_total");
        var local = Delta("cache_hits_total", "layer=\"local\"");
        var redis = Delta("cache_hits_total", "layer=\"redis\"");
        var misses = Delta("cache_misses_total");
        Console.WriteLine();
        Console.WriteLine("All cache lookups in the warm phase (HTTP middleware and service decorators), from /metrics:");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  lookups {requests:N0}   L1 hits {Pct(requests > 0 ? local / requests : double.NaN)}   Redis hits {Pct(requests > 0 ? redis / requests : double.NaN)}   misses (went to the source) {Pct(requests > 0 ? misses / requests : double.NaN)}"));
    }

    private static bool IsLocal(Uri target) =>
        target.IsLoopback || string.Equals(target.Host, "localhost", StringComparison.OrdinalIgnoreCase);

    private sealed record ModelDto(string Id);
}
