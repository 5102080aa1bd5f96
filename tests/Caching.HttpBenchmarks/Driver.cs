using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Caching.Testing;

namespace Caching.HttpBenchmarks;

/// <summary>
/// Starts a real redis-server and one app process per contestant, then drives each with wrk in interleaved rounds
/// (A B C A B C ...), so that noise from other work on the machine falls on every contestant alike, and prints the
/// tables as Markdown.
/// </summary>
internal static partial class Driver
{
    private const int ZipfUrls = 1000;
    private const string HotPath = "/data?id=1";

    public static async Task<int> RunAsync(string[] args)
    {
        DriverOptions options;
        try
        {
            options = DriverOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message + Environment.NewLine + DriverOptions.Usage).ConfigureAwait(false);
            return 2;
        }

        if (options.Help)
        {
            Console.WriteLine(DriverOptions.Usage);
            return 0;
        }

        if (FindOnPath("wrk") is null)
        {
            await Console.Error.WriteLineAsync("wrk is not installed: apt-get install -y wrk (or run ./build.sh httpbench, which installs it).").ConfigureAwait(false);
            return 2;
        }

        var script = Path.Combine(AppContext.BaseDirectory, "zipf.lua");
        var loadBefore = LoadAverage();
        var started = Stopwatch.StartNew();
        Console.WriteLine($"# HTTP throughput: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average before: {loadBefore}");
        Console.WriteLine($"{options.Rounds} interleaved rounds of {options.Duration.TotalSeconds:F0} s per contestant and scenario, wrk -t{options.Threads} -c{options.Connections}; source latency {BenchServer.SourceLatencyMs} ms.");
        Console.WriteLine();

        using var redis = new RedisServer();
        var needed = new HashSet<Variant>();
        foreach (var scenario in options.Scenarios)
        {
            needed.UnionWith(Contestants(scenario));
        }

        var servers = new Dictionary<Variant, ServerProcess>();
        try
        {
            foreach (var variant in Variant.All.Where(needed.Contains))
            {
                servers[variant] = await ServerProcess.StartAsync(variant, redis.Endpoint).ConfigureAwait(false);
            }

            var failures = new List<string>();
            foreach (var scenario in options.Scenarios)
            {
                var contestants = Contestants(scenario).Select(v => servers[v]).ToList();
                if (scenario == "cold")
                {
                    await ColdAsync(contestants, options, script, failures).ConfigureAwait(false);
                }
                else
                {
                    await WarmAsync(scenario, contestants, options, script, failures).ConfigureAwait(false);
                }
            }

            Console.WriteLine($"Load average after: {LoadAverage()}; whole run {started.Elapsed.TotalSeconds:F0} s.");
            Console.WriteLine();
            Console.WriteLine(failures.Count == 0 ? "All targets met." : "Targets missed:\n" + string.Join('\n', failures.Select(f => "- " + f)));
            return 0;
        }
        finally
        {
            foreach (var server in servers.Values)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static IReadOnlyList<Variant> Contestants(string scenario) => scenario switch
    {
        "hot" or "zipf" => [Variant.Ours, Variant.OutputCacheRedis, Variant.OutputCacheOurs, Variant.NoCache],
        "l1off" => [Variant.OursL1Off, Variant.OutputCacheRedis, Variant.OutputCacheOursL1Off],
        "cold" => [Variant.Ours, Variant.OutputCacheRedis, Variant.OutputCacheOurs],
        _ => throw new ArgumentException($"Unknown scenario '{scenario}'."),
    };

    private static async Task WarmAsync(string scenario, List<ServerProcess> contestants, DriverOptions options, string script, List<string> failures)
    {
        var zipf = scenario == "zipf";
        string[] Target(ServerProcess s) => zipf
            ? ["-s", script, s.BaseUrl, "--", ZipfUrls.ToString(CultureInfo.InvariantCulture), "1.0"]
            : [s.BaseUrl + HotPath];

        // Unmeasured: fill the cache (every URL once, so the measured phase is all hits) and let the JIT settle.
        foreach (var server in contestants)
        {
            if (zipf)
            {
                await Parallel.ForEachAsync(Enumerable.Range(1, ZipfUrls), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (id, ct) =>
                    (await server.Client.GetAsync(new Uri($"/data?id={id}", UriKind.Relative), ct).ConfigureAwait(false)).Dispose()).ConfigureAwait(false);
            }

            await Wrk.RunAsync(options.Threads, options.Connections, options.WarmUp, Target(server)).ConfigureAwait(false);
        }

        var results = contestants.ToDictionary(s => s, _ => new List<Measurement>());
        for (var round = 0; round < options.Rounds; round++)
        {
            foreach (var server in contestants)
            {
                results[server].Add(await MeasureAsync(server, options.Threads, options.Connections, options.Duration, Target(server)).ConfigureAwait(false));
            }
        }

        var title = scenario switch
        {
            "hot" => $"Warm, one hot URL (`{HotPath}`)",
            "zipf" => $"Warm, {ZipfUrls:N0} Zipf-popular URLs (s = 1.0, all cached before the rounds)",
            _ => $"L1 off, one hot URL (`{HotPath}`): every hit is a Redis read",
        };
        var baseline = results.First(r => r.Key.Variant == Variant.OutputCacheRedis).Value;
        Console.WriteLine($"## {title}");
        Console.WriteLine();
        Console.WriteLine("| contestant | requests/s (mean of rounds) | rounds (min - max) | vs OutputCache + Redis store | per-round ratio (min - max) | allocated per request | endpoint runs | errors |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (server, runs) in results)
        {
            var mean = runs.Average(r => r.RequestsPerSecond);
            var ratio = mean / baseline.Average(r => r.RequestsPerSecond);
            var perRound = runs.Select((r, i) => r.RequestsPerSecond / baseline[i].RequestsPerSecond).ToList();
            var bytes = runs.Sum(r => r.AllocatedBytes) / (double)Math.Max(1, runs.Sum(r => r.ServerRequests));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {server.Variant.Description} | {mean:N0} | {runs.Min(r => r.RequestsPerSecond):N0} - {runs.Max(r => r.RequestsPerSecond):N0} | {ratio:F2}x | {perRound.Min():F2} - {perRound.Max():F2} | {bytes / 1024:F1} KB | {runs.Sum(r => r.Runs):N0} | {runs.Sum(r => r.Errors):N0} |"));
            Check(scenario, server.Variant, ratio, bytes, failures);
        }

        Console.WriteLine();
    }

    private static void Check(string scenario, Variant variant, double ratio, double bytesPerRequest, List<string> failures)
    {
        if (variant == Variant.Ours && scenario is "hot" or "zipf" && ratio < 1.3)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{scenario}: ours is {ratio:F2}x OutputCache + Redis store, target >= 1.3x ({(1.3 - ratio) / 1.3:P0} short)"));
        }

        if (variant == Variant.OursL1Off && scenario == "l1off")
        {
            if (ratio < 1.0)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"l1off: ours is {ratio:F2}x OutputCache + Redis store, target >= 1.0x ({1.0 - ratio:P0} short)"));
            }

            if (bytesPerRequest > 3 * 1024)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"l1off: ours allocates {bytesPerRequest / 1024:F1} KB per request, target <= 3 KB"));
            }
        }
    }

    private static async Task ColdAsync(List<ServerProcess> contestants, DriverOptions options, string script, List<string> failures)
    {
        var results = contestants.ToDictionary(s => s, _ => new List<(Measurement M, int Distinct)>());
        for (var round = 0; round < options.Rounds; round++)
        {
            foreach (var server in contestants)
            {
                // A generation nobody has asked for: every URL of this run starts cold.
                var generation = $"r{round}";
                await server.ResetAsync(trackUrls: true).ConfigureAwait(false);
                var measured = await MeasureAsync(server, options.Threads, options.ColdConnections, options.ColdDuration,
                    ["-s", script, server.BaseUrl, "--", ZipfUrls.ToString(CultureInfo.InvariantCulture), "1.0", generation]).ConfigureAwait(false);
                var stats = await server.ResetAsync(trackUrls: false).ConfigureAwait(false);
                results[server].Add((measured, stats.DistinctUrls));
            }
        }

        Console.WriteLine($"## Cold, {ZipfUrls:N0} Zipf-popular URLs never asked before, {options.ColdConnections} connections, {options.ColdDuration.TotalSeconds:F0} s per round");
        Console.WriteLine();
        Console.WriteLine("| contestant | requests | distinct URLs requested | endpoint runs | runs - distinct (per round) |");
        Console.WriteLine("|---|---:|---:|---:|---|");
        foreach (var (server, runs) in results)
        {
            var excess = runs.Select(r => r.M.Runs - r.Distinct).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {server.Variant.Description} | {runs.Sum(r => r.M.ServerRequests):N0} | {runs.Sum(r => r.Distinct):N0} | {runs.Sum(r => r.M.Runs):N0} | {string.Join(", ", excess)} |"));
            if (server.Variant == Variant.Ours && excess.Any(e => e != 0))
            {
                failures.Add($"cold: ours ran the endpoint {string.Join(", ", excess)} times more than the distinct URLs requested, per round (target: 0)");
            }
        }

        Console.WriteLine();
    }

    private static async Task<Measurement> MeasureAsync(ServerProcess server, int threads, int connections, TimeSpan duration, string[] target)
    {
        var before = await server.StatsAsync().ConfigureAwait(false);
        var wrk = await Wrk.RunAsync(threads, connections, duration, target).ConfigureAwait(false);
        var after = await server.StatsAsync().ConfigureAwait(false);
        return new Measurement(wrk.RequestsPerSecond, wrk.Errors, after.Requests - before.Requests, after.Runs - before.Runs, after.AllocatedBytes - before.AllocatedBytes);
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "(unknown)";
        }
    }

    internal static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, name))
            .FirstOrDefault(File.Exists);

    private sealed record Measurement(double RequestsPerSecond, long Errors, long ServerRequests, long Runs, long AllocatedBytes);
}

/// <summary>One run of wrk and the two numbers read from its report.</summary>
internal static partial class Wrk
{
    public static async Task<(double RequestsPerSecond, long Errors)> RunAsync(int threads, int connections, TimeSpan duration, string[] target)
    {
        var info = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])[$"-t{threads}", $"-c{connections}", $"-d{Math.Max(1, (int)duration.TotalSeconds)}s", "--timeout", "10s", .. target])
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("wrk did not start.");
        var output = await process.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
        var error = await process.StandardError.ReadToEndAsync().ConfigureAwait(false);
        await process.WaitForExitAsync().ConfigureAwait(false);
        var rate = RequestsPerSecond().Match(output);
        if (process.ExitCode != 0 || !rate.Success)
        {
            throw new InvalidOperationException($"wrk failed ({process.ExitCode}): {output}{error}");
        }

        long errors = 0;
        foreach (Match m in SocketErrors().Matches(output))
        {
            errors += long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        if (NonSuccess().Match(output) is { Success: true } non)
        {
            errors += long.Parse(non.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        return (double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture), errors);
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"(?:connect|read|write|timeout) (\d+)")]
    private static partial Regex SocketErrors();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex NonSuccess();
}

/// <summary>A contestant's app as its own process on a free port of 127.0.0.1.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Variant variant, Process process, int port)
    {
        Variant = variant;
        _process = process;
        BaseUrl = $"http://127.0.0.1:{port}";
        Client = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
    }

    public Variant Variant { get; }

    public string BaseUrl { get; }

    public HttpClient Client { get; }

    public static async Task<ServerProcess> StartAsync(Variant variant, string redis)
    {
        var port = RedisServer.FreePort();
        var dll = typeof(ServerProcess).Assembly.Location;
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])[dll, "serve", "--variant", variant.Name, "--port", port.ToString(CultureInfo.InvariantCulture), "--redis", redis])
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        var server = new ServerProcess(variant, process, port);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{variant.Name} exited with {process.ExitCode}: {server._output}");
            }

            try
            {
                await server.StatsAsync().ConfigureAwait(false);
                return server;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200).ConfigureAwait(false);
            }
        }
    }

    public async Task<Stats> StatsAsync() =>
        await Client.GetFromJsonAsync(new Uri("/__bench/stats", UriKind.Relative), BenchJson.Default.Stats).ConfigureAwait(false)
        ?? throw new InvalidOperationException("No stats.");

    public async Task<Stats> ResetAsync(bool trackUrls)
    {
        using var response = await Client.PostAsync(new Uri($"/__bench/reset?trackUrls={(trackUrls ? "true" : "false")}", UriKind.Relative), null).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync(BenchJson.Default.Stats).ConfigureAwait(false) ?? throw new InvalidOperationException("No stats.");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}

internal sealed class DriverOptions
{
    public const string Usage = """
        Usage: ./build.sh httpbench [options]     (or: dotnet run --project tests/Caching.HttpBenchmarks -c Release -- [options])
          --rounds 3              interleaved rounds (A B C A B C ...) per scenario
          --duration 5s           wrk run per contestant and round (warm scenarios)
          --warmup 2s             unmeasured wrk run per contestant before the rounds
          --connections 50        wrk connections (warm scenarios)   --threads 1   wrk threads
          --cold-duration 2s      wrk run per contestant and round in the cold scenario
          --cold-connections 200  wrk connections in the cold scenario
          --scenarios hot,zipf,l1off,cold
          --smoke                 1 round of 1 s, 1 s warm-up: checks that everything runs, measures nothing
        """;

    public int Rounds { get; private set; } = 3;

    public TimeSpan Duration { get; private set; } = TimeSpan.FromSeconds(5);

    public TimeSpan WarmUp { get; private set; } = TimeSpan.FromSeconds(2);

    public int Connections { get; private set; } = 50;

    public int Threads { get; private set; } = 1;

    public TimeSpan ColdDuration { get; private set; } = TimeSpan.FromSeconds(2);

    public int ColdConnections { get; private set; } = 200;

    public IReadOnlyList<string> Scenarios { get; private set; } = ["hot", "zipf", "l1off", "cold"];

    public bool Help { get; private set; }

    public static DriverOptions Parse(string[] args)
    {
        var options = new DriverOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--rounds": options.Rounds = PositiveInt(Value()); break;
                case "--duration": options.Duration = Seconds(Value()); break;
                case "--warmup": options.WarmUp = Seconds(Value()); break;
                case "--connections": options.Connections = PositiveInt(Value()); break;
                case "--threads": options.Threads = PositiveInt(Value()); break;
                case "--cold-duration": options.ColdDuration = Seconds(Value()); break;
                case "--cold-connections": options.ColdConnections = PositiveInt(Value()); break;
                case "--scenarios": options.Scenarios = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                case "--smoke":
                    options.Rounds = 1;
                    options.Duration = options.WarmUp = options.ColdDuration = TimeSpan.FromSeconds(1);
                    break;
                case "--help" or "-h": options.Help = true; break;
                default: throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }

        return options;
    }

    private static int PositiveInt(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : throw new ArgumentException($"'{text}' is not a positive whole number.");

    private static TimeSpan Seconds(string text) =>
        int.TryParse(text.TrimEnd('s'), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? TimeSpan.FromSeconds(value) : throw new ArgumentException($"'{text}' is not a whole number of seconds such as 5s.");
}
