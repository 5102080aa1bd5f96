using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using static GpuProxy.Load.LoadCommand;

namespace GpuProxy.Load;

/// <summary>Per endpoint, before (the cold phase: the source) and after (the measured phase, warm).</summary>
internal sealed record EndpointRow(
    string Endpoint, string CachedBy,
    int BeforeCount, double BeforeMeanMs, double BeforeP50Ms, double BeforeP99Ms,
    int AfterCount, double AfterMeanMs, double AfterP50Ms, double AfterP99Ms,
    double MeanGain, double P50Gain, double HitLocal, double HitRedis, double Miss, int Errors);

/// <summary>Shares of all cache lookups (HTTP middleware and services) in a phase, from /metrics counters.</summary>
internal sealed record TierSplit(double Lookups, double Local, double Redis, double Source);

internal sealed record PhaseSummary(double Seconds, int Requests, double RequestsPerSecond, double MeanMs, int Errors, TierSplit Tiers);

internal sealed record SeedRow(string What, double SeedBeforeMs, double SeedAfterMs, double BeforeMeanMs, double AfterMeanMs, double AfterP50Ms, double SeedGain, double MeasuredGain);

/// <summary>The load command's result: printed as Markdown tables and saved as JSON with <c>--out</c>.</summary>
internal sealed record LoadReport(
    DateTimeOffset At, string Target, int Concurrency, double Skew, double WriteRatio, int ColdSamples,
    PhaseSummary WarmUp, PhaseSummary Measured, IReadOnlyList<EndpointRow> Endpoints,
    double AverageBeforeMs, double AverageAfterMs, IReadOnlyList<SeedRow> Seed)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static LoadReport Create(
        LoadOptions options,
        Dictionary<Op, EndpointStats> cold,
        Dictionary<Op, EndpointStats> warmUp,
        Dictionary<Op, EndpointStats> warm,
        string warmUpBefore,
        string before,
        string after,
        TimeSpan warmUpElapsed,
        TimeSpan measuredElapsed,
        IEnumerable<(Op Op, string Name, double Before, double After)> seedClaims)
    {
        var rows = new List<EndpointRow>();
        foreach (var op in Enum.GetValues<Op>())
        {
            var c = cold[op];
            var w = warm[op];
            if (c.Count == 0 && w.Count == 0)
            {
                continue;
            }

            rows.Add(new EndpointRow(
                w.Name.Trim(), w.CachedBy,
                c.Count, c.Mean(), c.Percentile(0.5), c.Percentile(0.99),
                w.Count, w.Mean(), w.Percentile(0.5), w.Percentile(0.99),
                c.Mean() / w.Mean(), c.Percentile(0.5) / w.Percentile(0.5),
                w.XCacheShare("HIT-LOCAL"), w.XCacheShare("HIT-REDIS"), w.XCacheShare("MISS"), w.Errors));
        }

        // "Before" for the whole mix: each endpoint's source mean, weighted as the measured phase asked for it. Writes are
        // not cached, so they count at their measured time on both sides.
        double beforeSum = 0, afterSum = 0, count = 0;
        foreach (var op in Enum.GetValues<Op>())
        {
            var n = warm[op].Count;
            if (n == 0)
            {
                continue;
            }

            beforeSum += n * (cold[op].Count > 0 ? cold[op].Mean() : warm[op].Mean());
            afterSum += warm[op].Sum();
            count += n;
        }

        var measured = Phase(warm, measuredElapsed, Tiers(before, after));
        var seed = seedClaims.Select(s =>
        {
            var row = rows.First(r => r.Endpoint == warm[s.Op].Name.Trim());
            return new SeedRow(s.Name, s.Before, s.After, row.BeforeMeanMs, row.AfterMeanMs, row.AfterP50Ms, s.Before / s.After, row.MeanGain);
        }).ToList();
        var averageBefore = count > 0 ? beforeSum / count : double.NaN;
        var averageAfter = count > 0 ? afterSum / count : double.NaN;
        seed.Add(new SeedRow("average request", 150, 1.5, averageBefore, averageAfter, double.NaN, 100, averageBefore / averageAfter));

        return new LoadReport(
            DateTimeOffset.UtcNow, options.Target.ToString(), options.Concurrency, options.Skew, options.WriteRatio, options.ColdSamples,
            Phase(warmUp, warmUpElapsed, Tiers(warmUpBefore, before)), measured, rows, averageBefore, averageAfter, seed);
    }

    public void Save(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(path, JsonSerializer.Serialize(this, Json));
    }

    public void Print()
    {
        static string Ms(double value) => double.IsNaN(value) ? "-" : value.ToString(value < 10 ? "F2" : "F1", CultureInfo.InvariantCulture);
        static string Pct(double value) => double.IsNaN(value) ? "-" : value.ToString("P1", CultureInfo.InvariantCulture);
        static string Gain(double value) => double.IsNaN(value) || double.IsInfinity(value) ? "-" : value.ToString(value < 10 ? "F1" : "F0", CultureInfo.InvariantCulture) + "x";
        static string Line(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
        string PhaseLine(string name, PhaseSummary p) => Line(
            $"{name}: {p.Seconds:F0} s, {p.Requests:N0} requests ({p.RequestsPerSecond:N0}/s), mean {Ms(p.MeanMs)} ms, {p.Errors} errors; cache lookups {p.Tiers.Lookups:N0}: local {Pct(p.Tiers.Local)}, Redis {Pct(p.Tiers.Redis)}, source {Pct(p.Tiers.Source)}");

        Console.WriteLine();
        Console.WriteLine(Line($"{Concurrency} clients, Zipf s={Skew} over the keys of each endpoint, {WriteRatio:P1} writes; before = {ColdSamples} requests per endpoint to never-asked keys right after dropping the cache."));
        Console.WriteLine(PhaseLine("Warm-up ", WarmUp));
        Console.WriteLine(PhaseLine("Measured", Measured));
        Console.WriteLine();
        Console.WriteLine("Latency in ms; before = the source (cold phase), after = the measured phase (all its requests, misses included).");
        Console.WriteLine();
        Console.WriteLine("| endpoint | cached by | before mean | p50 | p99 | after mean | p50 | p99 | gain (mean) | gain (p50) | HIT-LOCAL | HIT-REDIS | MISS | requests |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in Endpoints)
        {
            Console.WriteLine(Line(
                $"| `{r.Endpoint}` | {r.CachedBy} | {Ms(r.BeforeMeanMs)} | {Ms(r.BeforeP50Ms)} | {Ms(r.BeforeP99Ms)} | {Ms(r.AfterMeanMs)} | {Ms(r.AfterP50Ms)} | {Ms(r.AfterP99Ms)} | {Gain(r.MeanGain)} | {Gain(r.P50Gain)} | {Pct(r.HitLocal)} | {Pct(r.HitRedis)} | {Pct(r.Miss)} | {r.AfterCount:N0}{(r.Errors > 0 ? $" ({r.Errors} errors)" : string.Empty)} |"));
        }

        Console.WriteLine();
        Console.WriteLine(Line($"Average request (every request of the measured phase, writes included): before {Ms(AverageBeforeMs)} ms, after {Ms(AverageAfterMs)} ms ({Gain(AverageBeforeMs / AverageAfterMs)})."));
        Console.WriteLine();
        Console.WriteLine("The seed's table beside this run (before/after as means; the seed does not say which statistic it used):");
        Console.WriteLine();
        Console.WriteLine("| | seed: before -> after | this run: before -> after (mean) | after p50 | seed gain | this run's gain |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var s in Seed)
        {
            Console.WriteLine(Line(
                $"| {s.What} | {Ms(s.SeedBeforeMs)} -> {Ms(s.SeedAfterMs)} ms | {Ms(s.BeforeMeanMs)} -> {Ms(s.AfterMeanMs)} ms | {Ms(s.AfterP50Ms)} | {Gain(s.SeedGain)} | {Gain(s.MeasuredGain)} |"));
        }

        var t = Measured.Tiers;
        Console.WriteLine(Line($"| hits: local / Redis / source | 90 % / 9 % / 1 % | {Pct(t.Local)} / {Pct(t.Redis)} / {Pct(t.Source)} | | | |"));
        Console.WriteLine();
    }

    private static PhaseSummary Phase(Dictionary<Op, EndpointStats> stats, TimeSpan elapsed, TierSplit tiers)
    {
        var requests = stats.Values.Sum(s => s.Count);
        var sum = stats.Values.Sum(s => s.Sum());
        return new PhaseSummary(elapsed.TotalSeconds, requests, elapsed.TotalSeconds > 0 ? requests / elapsed.TotalSeconds : 0, requests > 0 ? sum / requests : double.NaN, stats.Values.Sum(s => s.Errors), tiers);
    }

    private static TierSplit Tiers(string before, string after)
    {
        if (before.Length == 0 || after.Length == 0)
        {
            return new TierSplit(double.NaN, double.NaN, double.NaN, double.NaN);
        }

        double Delta(string metric, params string[] labels) => PrometheusText.Sum(after, metric, labels) - PrometheusText.Sum(before, metric, labels);
        var lookups = Delta("cache_requests_total");
        var local = Delta("cache_hits_total", "layer=\"local\"");
        var redis = Delta("cache_hits_total", "layer=\"redis\"");
        var misses = Delta("cache_misses_total");
        return lookups > 0 ? new TierSplit(lookups, local / lookups, redis / lookups, misses / lookups) : new TierSplit(0, double.NaN, double.NaN, double.NaN);
    }
}
