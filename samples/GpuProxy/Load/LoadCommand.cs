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
        [(Op.Instance, 0.30), (Op.List, 0.18), (Op.Profile, 0.22), (Op.Credits, 0.10), (Op.Models, 0.08), (Op.Search, 0.12)];

    // What the seed searches for: model families and sizes, over every region or one.
    private static readonly string[] SearchTerms = ["h100", "a100", "h200", "l40s", "l4-", "rtx4090", "mi300x", "mi250", "gaudi2", "80gb"];

    // The seed's claims (after a 5-minute warm-up), for the side-by-side table.
    private static readonly (Op Op, string Name, double Before, double After)[] SeedClaims =
        [(Op.List, "GPU list", 200, 0.5), (Op.Profile, "user profile", 50, 0.3), (Op.Models, "model metadata", 100, 0.8), (Op.Search, "search results", 300, 1)];

    private static readonly (Op Op, double Weight)[] WriteMix =
        [(Op.PutProfile, 0.7), (Op.PutInstance, 0.25), (Op.PostInstance, 0.05)];

    internal enum Op
    {
        Instance,
        List,
        Profile,
        Credits,
        Models,
        Search,
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
        var keys = new KeySpace(ListCombos(models.Select(m => m.Id).ToList()), SearchCombos());

        // Cold phase: every request below asks for a key nobody asked for since the cache was dropped, so it reaches the source.
        var (dropped, how) = options.Reset
            ? (await ResetAsync(client, options).ConfigureAwait(false)).Ok ? (true, "Data reset to the seed and cache dropped") : (false, "reset")
            : (await InvalidateAllAsync(client, options).ConfigureAwait(false), "Cache invalidated (pattern \"*\")");
        Console.WriteLine(dropped
            ? how + ": the cold phase measures the source."
            : "WARNING: could not drop the cache (API key?); the source column may include cached answers.");
        var cold = NewStats();
        var coldWork = ColdRequests(options, keys);
        await RunPhaseAsync("cold (source)", client, coldWork.Count, Math.Min(options.Concurrency, 8), null, cold, coldWork, options, keys).ConfigureAwait(false);

        // Warm-up: the same traffic as the measured phase, so L1 and Redis hold what it will ask for; reported on its own.
        var warmUp = NewStats();
        var warmUpBefore = await ScrapeAsync(client).ConfigureAwait(false);
        var warmUpClock = Stopwatch.StartNew();
        if (options.WarmUp > TimeSpan.Zero)
        {
            await RunPhaseAsync("warm-up", client, int.MaxValue, options.Concurrency, options.WarmUp, warmUp, null, options, keys, workerSeedOffset: 1000).ConfigureAwait(false);
        }

        var warmUpElapsed = warmUpClock.Elapsed;

        // Measured phase.
        var before = await ScrapeAsync(client).ConfigureAwait(false);
        var warm = NewStats();
        var measuredClock = Stopwatch.StartNew();
        await RunPhaseAsync("measured", client, int.MaxValue, options.Concurrency, options.Duration, warm, null, options, keys).ConfigureAwait(false);
        var measuredElapsed = measuredClock.Elapsed;
        var after = await ScrapeAsync(client).ConfigureAwait(false);

        var report = LoadReport.Create(options, cold, warmUp, warm, warmUpBefore, before, after, warmUpElapsed, measuredElapsed, SeedClaims);
        report.Print();
        if (options.Out is { } path)
        {
            report.Save(path);
            var picture = Path.ChangeExtension(path, ".png");
            LatencyPlot.Save(picture, cold, warm, options);
            Console.WriteLine($"Wrote {path} and {picture}.");
        }

        return 0;
    }

    internal static Dictionary<Op, EndpointStats> NewStats() => new()
    {
        [Op.List] = new("GET  /api/gpu/instances", "http"),
        [Op.Models] = new("GET  /api/models", "http"),
        [Op.Search] = new("GET  /api/search", "service"),
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

    private static List<(string Query, string? Region)> SearchCombos()
    {
        var combos = new List<(string, string?)>();
        foreach (var term in SearchTerms)
        {
            combos.Add((term, null));
            combos.AddRange(Data.GpuDatabase.Regions.Select(r => (term, (string?)r)));
        }

        return combos;
    }

    private static List<(Op Op, int Key)> ColdRequests(LoadOptions options, KeySpace keys)
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
        Distinct(Op.List, keys.Lists.Count);
        Distinct(Op.Search, keys.Searches.Count);

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
        KeySpace keys,
        int workerSeedOffset = 0)
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
        var comboZipf = new Zipf(keys.Lists.Count, options.Skew, new Random(options.Seed + 2));
        var searchZipf = new Zipf(keys.Searches.Count, options.Skew, new Random(options.Seed + 3));

        async Task Worker(int id)
        {
            // The popularity ranking (the Zipf permutations) is the same in every phase; only the draws differ.
            var random = new Random((options.Seed * 31) + id + workerSeedOffset);
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
                        Op.Search => searchZipf.Next(random),
                        _ => -1,
                    };
                }

                using var request = BuildRequest(op, key, keys, cold: script is not null, random);
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

    private static HttpRequestMessage BuildRequest(Op op, int key, KeySpace keys, bool cold, Random random)
    {
        static string Instance(int k) => Data.GpuDatabase.InstanceId(k + 1);
        static string User(int k) => Data.GpuDatabase.UserId(k + 1);
        switch (op)
        {
            case Op.Instance:
                return new HttpRequestMessage(HttpMethod.Get, $"/api/gpu/instances/{Instance(key)}");
            case Op.List:
                var (region, model) = keys.Lists[key];
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
            case Op.Search:
                var (q, searchRegion) = keys.Searches[key];
                return new HttpRequestMessage(HttpMethod.Get, $"/api/search?q={Uri.EscapeDataString(q)}" + (searchRegion is null ? string.Empty : "&region=" + searchRegion));
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
                var (r, _) = keys.Lists[1 + random.Next(keys.Lists.Count - 1)];
                return new HttpRequestMessage(HttpMethod.Post, "/api/gpu/instances")
                {
                    Content = JsonContent.Create(new { name = "load-test", modelId = "l4-24gb", region = r ?? "us-east" }),
                };
        }
    }

    internal static async Task<(bool Ok, string Body)> ResetAsync(HttpClient client, LoadOptions options)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/admin/reset");
        request.Headers.Add("X-Api-Key", options.ApiKey ?? DevApiKey);
        using var response = await client.SendAsync(request).ConfigureAwait(false);
        return (response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync().ConfigureAwait(false));
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

    private static bool IsLocal(Uri target) =>
        target.IsLoopback || string.Equals(target.Host, "localhost", StringComparison.OrdinalIgnoreCase);

    private sealed record ModelDto(string Id);

    internal sealed record KeySpace(List<(string? Region, string? Model)> Lists, List<(string Query, string? Region)> Searches);
}
