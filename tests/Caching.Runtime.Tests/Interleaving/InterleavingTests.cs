using System.Diagnostics;
using System.Globalization;
using System.Text;
using Caching.Runtime.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Caching.Runtime.Tests.Interleaving;

/// <summary>
/// DESIGN invariant 2 under random interleavings (issue 8): three nodes over one real redis-server, a versioned
/// source, many seeds. See readme.md in this folder for the properties, what is relaxed, and how to replay a seed.
/// </summary>
[Collection(TimingSensitive.Name)]
public sealed class InterleavingTests(RedisFixture fixture, ITestOutputHelper output) : IClassFixture<RedisFixture>
{
    public const string SeedVariable = "CACHING_INTERLEAVING_SEED";
    public const string SeedsVariable = "CACHING_INTERLEAVING_SEEDS";
    public const string FirstSeedVariable = "CACHING_INTERLEAVING_FIRST_SEED";
    public const string RepeatVariable = "CACHING_INTERLEAVING_REPEAT";
    public const string VerboseVariable = "CACHING_INTERLEAVING_VERBOSE";
    public const int DefaultSeeds = 500;

    private static readonly TimeSpan SeedTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Random_schedules_on_three_nodes_never_serve_a_version_older_than_a_returned_invalidation()
    {
        var (first, count, repeat) = Range();
        var verbose = Read(VerboseVariable) is > 0;
        var runner = new InterleavingRunner(fixture.Redis);
        var failures = new List<CheckReport>();
        var errors = new List<string>();
        var errorSeeds = new List<int>();
        var kinds = new Dictionary<OpKind, int>();
        var restartSeeds = new List<int>();
        int issuerPairs = 0, otherPairs = 0, finalReads = 0, runs = 0;
        var clock = Stopwatch.StartNew();
        for (var seed = first; seed < first + count; seed++)
        {
            var schedule = Schedule.Generate(seed);
            for (var attempt = 0; attempt < repeat; attempt++)
            {
                History history;
                try
                {
                    history = await runner.RunAsync(schedule).WaitAsync(SeedTimeout);
                }
                catch (Exception exception)
                {
                    errors.Add($"seed {seed}: the run itself failed: {exception.GetType().Name}: {exception.Message}");
                    errorSeeds.Add(seed);
                    continue;
                }

                var report = PropertyChecker.Check(history, InterleavingRunner.BackplaneBound);
                runs++;
                if (history.Outage is not null)
                {
                    restartSeeds.Add(seed);
                }

                issuerPairs += report.IssuerPairs;
                otherPairs += report.OtherPairs;
                finalReads += report.FinalReads;
                foreach (var op in history.Ops)
                {
                    kinds[op.Kind] = kinds.GetValueOrDefault(op.Kind) + 1;
                }

                if (verbose)
                {
                    output.WriteLine($"seed {seed}: {(report.Passed ? "passed" : "FAILED")}");
                    output.WriteLine(history.Describe(history.Ops));
                }

                if (!report.Passed)
                {
                    failures.Add(report);
                    output.WriteLine(report.Describe());
                }
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeds {first}..{first + count - 1} x{repeat}: {runs} runs in {clock.Elapsed.TotalSeconds:0.0} s, {restartSeeds.Count} with a Redis restart ({string.Join(" ", restartSeeds.Distinct())})"));
        output.WriteLine("operations: " + string.Join(", ", Enum.GetValues<OpKind>().Select(k => $"{k} {kinds.GetValueOrDefault(k)}")));
        output.WriteLine($"checked: {issuerPairs} issuer (write, later read) pairs, {otherPairs} other-node pairs past the bound, {finalReads} final reads");
        output.WriteLine($"failed: {failures.Count} run(s), {errors.Count} run error(s); start-up probes retried: {runner.ProbeRetries}");
        foreach (var group in failures.SelectMany(f => f.Violations.Select(v => v.Property).Distinct().Select(p => (Property: p, f.History.Seed))).GroupBy(x => x.Property))
        {
            output.WriteLine($"  {group.Key}: seeds {string.Join(" ", group.Select(x => x.Seed).Distinct())}");
        }

        if (failures.Count > 0 || errors.Count > 0)
        {
            Assert.Fail(Message(failures, errors, errorSeeds, runs));
        }
    }

    private static string Message(List<CheckReport> failures, List<string> errors, List<int> errorSeeds, int runs)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Invariant 2 violated in {failures.Count} of {runs} runs ({errors.Count} run errors).");
        foreach (var property in Enum.GetValues<Property>())
        {
            var seeds = failures.Where(f => f.Violations.Any(v => v.Property == property)).Select(f => f.History.Seed).Distinct().ToList();
            if (seeds.Count > 0)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {property}: {seeds.Count} seed(s): {string.Join(" ", seeds.Take(40))}{(seeds.Count > 40 ? " ..." : string.Empty)}");
            }
        }

        foreach (var error in errors.Take(5))
        {
            text.AppendLine("  " + error);
        }

        foreach (var failure in failures.DistinctBy(f => f.History.Seed).Take(3))
        {
            text.AppendLine().Append(failure.Describe());
        }

        var example = failures.Count > 0 ? failures[0].History.Seed : errorSeeds.FirstOrDefault();
        text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Replay one seed: {SeedVariable}={example} dotnet test tests/Caching.Runtime.Tests -c Release --filter FullyQualifiedName~Interleaving");
        text.AppendLine($"(the schedule replays exactly; the thread timing does not, so add {RepeatVariable}=50 to run it 50 times)");
        return text.ToString();
    }

    private static (int First, int Count, int Repeat) Range()
    {
        var repeat = Math.Max(1, Read(RepeatVariable) ?? 1);
        if (Read(SeedVariable) is { } single)
        {
            return (single, 1, repeat);
        }

        return (Read(FirstSeedVariable) ?? 1, Read(SeedsVariable) ?? DefaultSeeds, repeat);
    }

    private static int? Read(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
