using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Order;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Caching.Testing;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using ZiggyCreatures.Caching.Fusion;

namespace Caching.Benchmarks;

/// <summary>
/// Issue 8, DESIGN "Invalidation without SCAN": the cost of invalidating 10 matching entries when Redis also holds
/// <see cref="UnrelatedKeys"/> unrelated keys. Each benchmark case gets its own redis-server, filled once with
/// <c>DEBUG POPULATE</c> (keys <c>bench:other:0..N-1</c>, 200-byte values, in the cache's own namespace); before each
/// measured call the 10 entries are written again (<see cref="IterationSetupAttribute"/>, not timed), so every call
/// has the same real work. Rows: a segment-prefix pattern (<c>user:42:*</c>, the shape the generator can know at
/// compile time: target under 1 ms median and flat in N), an instance of a registered (indexed) shape that is not a
/// prefix (<c>*:42:item:*</c> of <c>*:{user}:item:*</c>, as the generator registers every [InvalidatesCache]
/// pattern), a run-time pattern that must SCAN
/// (<c>user:4?:item:*</c>), tag removal, a hand-written SCAN MATCH + UNLINK on every primary (the baseline), and the
/// tag removal of the two peers (neither supports patterns). Only public API is used, so the class measures any
/// version of the runtime. <see cref="RedisCallsColumn"/> adds the server-side commands per call.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InvalidationConfig))]
public class InvalidationCostBenchmarks
{
    /// <summary>Overrides the key counts, e.g. <c>INVALIDATION_BENCH_KEYS=10000</c> for a quick check.</summary>
    public const string KeyCountsVariable = "INVALIDATION_BENCH_KEYS";

    private const int Matching = 10;
    private const int ScanPageSize = 1000; // the runtime's RedisLayer pages SCAN by 1000 too
    private const string Tag = "user-42";
    private const string UnrelatedPrefix = "bench:other";
    private const string IndexedShape = "*:{user}:item:*";
    private static readonly string[] Tags = [Tag];
    private static readonly CacheEntryOptions OursOptions = new() { Tags = Tags };
    private static readonly CacheEntryOptions OursRedisOnly = new() { SkipLocal = true };
    private static readonly string[] Keys = Enumerable.Range(0, Matching).Select(i => "user:42:item:" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
    private static readonly RedisKey[] RawKeys = Keys.Select(k => (RedisKey)("raw:" + k)).ToArray();
    private static readonly Profile Fresh = Payloads.Immutable() with { Name = "reloaded from the source" };

    private readonly Profile _value = Payloads.Immutable();
    private byte[] _rawValue = [];
    private RedisServer? _redis;
    private ConnectionMultiplexer? _admin;
    private IServer _adminServer = null!;
    private ConnectionMultiplexer? _raw;
    private MultiLayerCache? _ours;
    private HybridCache? _hybrid;
    private ServiceProvider? _hybridServices;
    private FusionCache? _fusion;
    private Dictionary<string, long> _callsBefore = [];
    private Dictionary<string, long> _callsTotal = [];
    private int _measuredCalls;
    private string _caseName = string.Empty;

    /// <summary>Unrelated keys in Redis besides the 10 that match.</summary>
    [ParamsSource(nameof(KeyCounts))]
    public int UnrelatedKeys { get; set; }

    public static IEnumerable<int> KeyCounts =>
        Environment.GetEnvironmentVariable(KeyCountsVariable) is { Length: > 0 } counts
            ? counts.Split(',').Select(c => int.Parse(c.Replace("_", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture))
            : [10_000, 100_000, 1_000_000];

    // ---- setup: one redis-server per benchmark case, each contestant built and checked only for its own rows ----

    [GlobalSetup(Target = nameof(OursSegmentPrefixAsync))]
    public void SetupOursSegmentPrefix() => SetupOurs(nameof(OursSegmentPrefixAsync), () => OursSegmentPrefixAsync().AsTask());

    [GlobalSetup(Target = nameof(OursIndexedShapeAsync))]
    public void SetupOursIndexedShape() => SetupOurs(nameof(OursIndexedShapeAsync), () => OursIndexedShapeAsync().AsTask());

    [GlobalSetup(Target = nameof(OursRunTimePatternAsync))]
    public void SetupOursRunTimePattern() => SetupOurs(nameof(OursRunTimePatternAsync), () => OursRunTimePatternAsync().AsTask());

    [GlobalSetup(Target = nameof(OursTagAsync))]
    public void SetupOursTag() => SetupOurs(nameof(OursTagAsync), () => OursTagAsync().AsTask());

    [GlobalSetup(Target = nameof(RawScanUnlinkAsync))]
    public void SetupRaw()
    {
        StartRedis(nameof(RawScanUnlinkAsync));
        _raw = ConnectionMultiplexer.Connect(_redis!.ConnectionString);
        _rawValue = JsonSerializer.SerializeToUtf8Bytes(_value);
        WriteRaw();
        var before = Database().Execute("DBSIZE");
        var removed = RawScanUnlinkAsync().GetAwaiter().GetResult();
        var after = Database().Execute("DBSIZE");
        if (removed != Matching || (long)before - (long)after != Matching || Database().KeyExists(RawKeys) != 0)
        {
            throw new InvalidOperationException($"raw SCAN + UNLINK: expected to remove exactly the {Matching} matching keys, removed {removed} (DBSIZE {before} -> {after}).");
        }
    }

    [GlobalSetup(Target = nameof(HybridTagAsync))]
    public void SetupHybrid()
    {
        StartRedis(nameof(HybridTagAsync));
        (_hybrid, _hybridServices) = Contestants.Hybrid(_redis);
        CheckRemoves(nameof(HybridTagAsync), () => HybridTagAsync().AsTask());
    }

    [GlobalSetup(Target = nameof(FusionTagAsync))]
    public void SetupFusion()
    {
        StartRedis(nameof(FusionTagAsync));
        _fusion = Contestants.Fusion(_redis);
        CheckRemoves(nameof(FusionTagAsync), () => FusionTagAsync().AsTask());
    }

    [IterationSetup(Targets = new[] { nameof(OursSegmentPrefixAsync), nameof(OursIndexedShapeAsync), nameof(OursRunTimePatternAsync), nameof(OursTagAsync) })]
    public void WriteOurs()
    {
        foreach (var key in Keys)
        {
            _ours!.SetAsync(key, _value, OursOptions).AsTask().GetAwaiter().GetResult();
        }

        SnapshotCalls();
    }

    [IterationSetup(Target = nameof(RawScanUnlinkAsync))]
    public void WriteRaw()
    {
        var database = _raw!.GetDatabase();
        foreach (var key in RawKeys)
        {
            database.StringSet(key, _rawValue, Contestants.RedisTtl);
        }

        SnapshotCalls();
    }

    [IterationSetup(Target = nameof(HybridTagAsync))]
    public void WriteHybrid()
    {
        foreach (var key in Keys)
        {
            _hybrid!.SetAsync(key, _value, tags: Tags).AsTask().GetAwaiter().GetResult();
        }

        SnapshotCalls();
    }

    [IterationSetup(Target = nameof(FusionTagAsync))]
    public void WriteFusion()
    {
        foreach (var key in Keys)
        {
            _fusion!.SetAsync(key, _value, tags: Tags).AsTask().GetAwaiter().GetResult();
        }

        SnapshotCalls();
    }

    /// <summary>Adds this call's server-side commands (INFO commandstats after minus before) to the case's total.</summary>
    [IterationCleanup]
    public void CountCalls()
    {
        foreach (var (command, calls) in CommandCalls())
        {
            var delta = calls - _callsBefore.GetValueOrDefault(command);
            if (delta > 0)
            {
                _callsTotal[command] = _callsTotal.GetValueOrDefault(command) + delta;
            }
        }

        _measuredCalls++;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_measuredCalls > 0)
        {
            RedisCallsColumn.Record(_caseName, _callsTotal, _measuredCalls);
        }

        _fusion?.Dispose();
        _hybridServices?.Dispose();
        _ours?.Dispose();
        _raw?.Dispose();
        _admin?.Dispose();
        _redis?.Dispose();
        (_fusion, _hybridServices, _hybrid, _ours, _raw, _admin, _redis) = (null, null, null, null, null, null, null);
    }

    // ---- the rows ----

    [Benchmark(Description = "ours InvalidatePatternAsync(\"user:42:*\"), segment prefix")]
    public ValueTask<long> OursSegmentPrefixAsync() => _ours!.InvalidatePatternAsync("user:42:*");

    /// <summary>Not a segment prefix, but an instance of the registered shape <see cref="IndexedShape"/>, as every [InvalidatesCache] pattern is.</summary>
    [Benchmark(Description = "ours InvalidatePatternAsync(\"*:42:item:*\"), indexed shape")]
    public ValueTask<long> OursIndexedShapeAsync() => _ours!.InvalidatePatternAsync("*:42:item:*");

    [Benchmark(Description = "ours InvalidatePatternAsync(\"user:4?:item:*\"), run-time SCAN")]
    public ValueTask<long> OursRunTimePatternAsync() => _ours!.InvalidatePatternAsync("user:4?:item:*");

    [Benchmark(Description = "ours RemoveByTagAsync(\"user-42\")")]
    public ValueTask<long> OursTagAsync() => _ours!.RemoveByTagAsync(Tag);

    /// <summary>
    /// What a hand-written invalidation costs: SCAN MATCH (COUNT 1000, as ours) on every primary, then one UNLINK of
    /// what was found. In a cluster the found keys would have to be grouped by slot; with 10 matches on one node
    /// that adds nothing here.
    /// </summary>
    [Benchmark(Baseline = true, Description = "raw SCAN MATCH \"raw:user:42:*\" + UNLINK")]
    public async Task<long> RawScanUnlinkAsync()
    {
        long removed = 0;
        foreach (var endpoint in _raw!.GetEndPoints())
        {
            var server = _raw.GetServer(endpoint);
            if (server.IsReplica)
            {
                continue;
            }

            var found = new List<object>();
            var cursor = "0";
            do
            {
                var reply = (RedisResult[])(await server.ExecuteAsync("SCAN", cursor, "MATCH", "raw:user:42:*", "COUNT", ScanPageSize).ConfigureAwait(false))!;
                cursor = (string)reply[0]!;
                foreach (var key in (RedisKey[])reply[1]!)
                {
                    found.Add(key);
                }
            }
            while (cursor != "0");

            if (found.Count > 0)
            {
                removed += (long)await server.ExecuteAsync("UNLINK", found).ConfigureAwait(false);
            }
        }

        return removed;
    }

    [Benchmark(Description = "HybridCache RemoveByTagAsync(\"user-42\")")]
    public ValueTask HybridTagAsync() => _hybrid!.RemoveByTagAsync(Tag);

    [Benchmark(Description = "FusionCache RemoveByTagAsync(\"user-42\")")]
    public ValueTask FusionTagAsync() => _fusion!.RemoveByTagAsync(Tag);

    // ---- helpers ----

    private static ValueTask<Profile> Reload(CancellationToken cancellationToken) => ValueTask.FromResult(Fresh);

    private IDatabase Database() => _admin!.GetDatabase();

    private void SetupOurs(string row, Func<Task> invalidate)
    {
        StartRedis(row);
        _ours = Contestants.Ours(_redis, indexedPatterns: IndexedShape);
        Contestants.WaitForRedis(_ours);
        CheckRemoves(row, invalidate);
    }

    private void StartRedis(string row)
    {
        _caseName = RedisCallsColumn.CaseName(row, UnrelatedKeys);
        _redis = new RedisServer();
        _admin = ConnectionMultiplexer.Connect(_redis.AdminConnectionString);
        _adminServer = _admin.GetServer(_redis.Endpoint);
        Database().Execute("DEBUG", "POPULATE", UnrelatedKeys, UnrelatedPrefix, 200);
        var size = (long)Database().Execute("DBSIZE");
        if (size != UnrelatedKeys)
        {
            throw new InvalidOperationException($"DEBUG POPULATE {UnrelatedKeys} left {size} keys.");
        }

        _callsTotal = [];
        _measuredCalls = 0;
    }

    /// <summary>
    /// Writes the entries, checks they are served, runs the row once and checks every entry is gone (a miss in
    /// memory and in Redis: the source runs again) while the unrelated keys stay.
    /// </summary>
    private void CheckRemoves(string row, Func<Task> invalidate)
    {
        switch (row)
        {
            case nameof(HybridTagAsync):
                WriteHybrid();
                break;
            case nameof(FusionTagAsync):
                WriteFusion();
                break;
            default:
                WriteOurs();
                break;
        }

        if (Present(row) != Matching)
        {
            throw new InvalidOperationException($"{row}: the {Matching} entries written before the invalidation are not all served.");
        }

        invalidate().GetAwaiter().GetResult();
        var left = Present(row);
        if (left != 0)
        {
            throw new InvalidOperationException($"{row}: {left} of the {Matching} entries are still served after the invalidation.");
        }

        if ((long)Database().Execute("EXISTS", UnrelatedPrefix + ":0", UnrelatedPrefix + ":" + (UnrelatedKeys - 1).ToString(CultureInfo.InvariantCulture)) != 2)
        {
            throw new InvalidOperationException($"{row}: the invalidation removed unrelated keys.");
        }
    }

    /// <summary>How many of the entries the contestant still serves from the cache (memory, then Redis).</summary>
    private int Present(string row)
    {
        var present = 0;
        foreach (var key in Keys)
        {
            var served = row switch
            {
                nameof(HybridTagAsync) => _hybrid!.GetOrCreateAsync(key, Reload).AsTask().GetAwaiter().GetResult() == _value,
                nameof(FusionTagAsync) => _fusion!.TryGetAsync<Profile>(key).AsTask().GetAwaiter().GetResult().HasValue,
                _ => _ours!.GetAsync<Profile>(key).AsTask().GetAwaiter().GetResult().Found
                    | _ours!.GetAsync<Profile>(key, OursRedisOnly).AsTask().GetAwaiter().GetResult().Found,
            };
            present += served ? 1 : 0;
        }

        return present;
    }

    private void SnapshotCalls() => _callsBefore = CommandCalls();

    private Dictionary<string, long> CommandCalls()
    {
        var calls = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var group in _adminServer.Info("commandstats"))
        {
            foreach (var (name, stats) in group)
            {
                // cmdstat_scan:calls=10,usec=20,usec_per_call=2.00,rejected_calls=0,failed_calls=0
                var command = name.StartsWith("cmdstat_", StringComparison.Ordinal) ? name["cmdstat_".Length..] : name;
                var field = stats.Split(',').First(part => part.StartsWith("calls=", StringComparison.Ordinal));
                calls[command] = long.Parse(field["calls=".Length..], CultureInfo.InvariantCulture);
            }
        }

        return calls;
    }
}

/// <summary>
/// The invalidation job: wall clock (the cost is Redis round trips and server time, which the thread-CPU clock of
/// <see cref="ShortConfig"/> would hide), one call per iteration so <see cref="IterationSetupAttribute"/> can write
/// the entries again untimed, 3 warm-ups and 15 measured calls per case (a SCAN over 1M keys takes about a second).
/// </summary>
public sealed class InvalidationConfig : ManualConfig
{
    public InvalidationConfig()
    {
        AddJob(Job.Default
            .WithId("Invalidation")
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(15)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithToolchain(InProcessEmitToolchain.Instance));
        AddColumn(StatisticColumn.Median, StatisticColumn.Min);
        AddColumn(new RatioOfColumn("Min", static s => s.Min), new RatioOfColumn("Median", static s => s.Median));
        AddColumn(new RedisCallsColumn());
        Orderer = new DefaultOrderer(SummaryOrderPolicy.Declared);
    }
}

/// <summary>
/// Redis commands per measured call, from INFO commandstats read before and after each call on an admin connection
/// (averaged over the case's warm-up and measured calls). INFO itself and connection chatter (PING, ECHO, CLIENT,
/// CLUSTER, CONFIG, SUBSCRIBE, COMMAND) are left out.
/// </summary>
internal sealed class RedisCallsColumn : IColumn
{
    private static readonly string[] Chatter = ["info", "ping", "echo", "client", "cluster", "config", "subscribe", "command", "hello", "select"];
    private static readonly ConcurrentDictionary<string, string> Results = new(StringComparer.Ordinal);

    public string Id => "RedisCalls";

    public string ColumnName => "Redis commands / op";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => false;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Server-side commands per call (INFO commandstats delta around each call, INFO and connection chatter left out)";

    public static string CaseName(string method, int unrelatedKeys) => method + "/" + unrelatedKeys.ToString(CultureInfo.InvariantCulture);

    public static void Record(string caseName, Dictionary<string, long> totals, int calls)
    {
        var perCall = totals
            .Where(pair => !Chatter.Any(c => pair.Key == c || pair.Key.StartsWith(c + "|", StringComparison.Ordinal)))
            .Select(pair => (Command: pair.Key.ToUpperInvariant(), PerCall: pair.Value / (double)calls))
            .OrderByDescending(pair => pair.PerCall)
            .ThenBy(pair => pair.Command, StringComparer.Ordinal)
            .Select(pair => $"{pair.Command} {pair.PerCall.ToString("0.##", CultureInfo.InvariantCulture)}");
        Results[caseName] = string.Join(", ", perCall) is { Length: > 0 } text ? text : "none";
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        var keys = benchmarkCase.Parameters[nameof(InvalidationCostBenchmarks.UnrelatedKeys)];
        var name = CaseName(benchmarkCase.Descriptor.WorkloadMethod.Name, Convert.ToInt32(keys, CultureInfo.InvariantCulture));
        return Results.TryGetValue(name, out var value) ? value : "?";
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}
