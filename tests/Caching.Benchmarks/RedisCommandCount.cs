using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Caching.Testing;
using Microsoft.Extensions.Caching.Hybrid;
using StackExchange.Redis;
using ZiggyCreatures.Caching.Fusion;

namespace Caching.Benchmarks;

/// <summary>
/// L2 hits outside BenchmarkDotNet (<c>-- commands</c>): the same reads as <see cref="L2HitBenchmarks"/>, against one
/// redis-server. First the server counts the commands: <c>INFO commandstats</c> is read before and after N
/// sequential hits per contestant on one admin connection, and the delta per command divided by N is printed (the
/// INFO call itself is left out; a client heartbeat would show as a fraction far below 1). Then the contestants
/// are timed in interleaved rounds (each round runs every contestant for a short burst, in turn), so a busy spell
/// on the shared machine hits all of them alike: the median of the rounds, and its ratio to raw, are the L2
/// numbers to trust when the BenchmarkDotNet table (one contestant after another, wall clock) is noisy.
/// </summary>
internal static class RedisCommandCount
{
    private const int Operations = 2000;
    private const int Rounds = 25;
    private const int HitsPerRound = 100;
    private const string Key = "user:42:profile";

    public static async Task RunAsync()
    {
        using var redis = new RedisServer();
        await using var admin = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString + ",allowAdmin=true").ConfigureAwait(false);
        var server = admin.GetServer(redis.Endpoint);
        var value = Payloads.Immutable();

        await using var raw = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString).ConfigureAwait(false);
        var database = raw.GetDatabase();
        RedisKey rawKey = "raw:" + Key;
        await database.StringSetAsync(rawKey, JsonSerializer.SerializeToUtf8Bytes(value)).ConfigureAwait(false);

        var skipLocal = new CacheEntryOptions { SkipLocal = true };
        await using var ours = Contestants.Ours(redis);
        await using var oursNoL1 = Contestants.Ours(redis, localEnabled: false);
        Contestants.WaitForRedis(ours);
        Contestants.WaitForRedis(oursNoL1);
        await ours.GetOrSetAsync(Key, value, static (v, _) => ValueTask.FromResult(v), skipLocal).ConfigureAwait(false);

        var fusionL2Only = new FusionCacheEntryOptions { Duration = Contestants.LocalTtl, DistributedCacheDuration = Contestants.RedisTtl, SkipMemoryCacheRead = true, SkipMemoryCacheWrite = true };
        using var fusion = Contestants.Fusion(redis);
        await fusion.SetAsync(Key, value, fusionL2Only).ConfigureAwait(false);

        var hybridL2Only = new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableLocalCache };
        var (hybrid, services) = Contestants.Hybrid(redis);
        await using var hybridServices = services.ConfigureAwait(false);
        await hybrid.SetAsync(Key, value, hybridL2Only).ConfigureAwait(false);

        var contestants = new (string Name, Func<Task<Profile>> Hit)[]
        {
            ("raw GET + System.Text.Json", async () => JsonSerializer.Deserialize<Profile>((byte[])(await database.StringGetAsync(rawKey).ConfigureAwait(false))!)!),
            ("ours GetOrSetAsync, SkipLocal", () => ours.GetOrSetAsync(Key, 0, Never, skipLocal).AsTask()),
            ("ours GetOrSetAsync, L1 disabled", () => oursNoL1.GetOrSetAsync(Key, 0, Never).AsTask()),
            ("FusionCache GetOrSetAsync, memory skipped", () => fusion.GetOrSetAsync<Profile>(Key, static (_, _) => throw new InvalidOperationException("the L2 hit reached the source"), options: fusionL2Only).AsTask()),
            ("HybridCache GetOrCreateAsync, local cache disabled", () => hybrid.GetOrCreateAsync(Key, 0, Never, hybridL2Only).AsTask()),
        };

        Console.WriteLine();
        Console.WriteLine($"## Redis commands per L2 hit (INFO commandstats delta over {Operations.ToString("N0", CultureInfo.InvariantCulture)} hits)");
        Console.WriteLine();
        Console.WriteLine("| contestant | commands per hit | by command |");
        Console.WriteLine("|---|---:|---|");
        foreach (var (name, hit) in contestants)
        {
            await Count(server, name, value, hit).ConfigureAwait(false);
        }

        Console.WriteLine();
        Console.WriteLine($"## L2 hit time, interleaved ({Rounds} rounds x {HitsPerRound} sequential hits per contestant, wall clock)");
        Console.WriteLine();
        Console.WriteLine("| contestant | median per hit | min per hit | median / raw median |");
        Console.WriteLine("|---|---:|---:|---:|");
        var perHit = contestants.Select(_ => new List<double>()).ToArray();
        for (var round = 0; round < Rounds; round++)
        {
            for (var c = 0; c < contestants.Length; c++)
            {
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < HitsPerRound; i++)
                {
                    await contestants[c].Hit().ConfigureAwait(false);
                }

                perHit[c].Add(clock.Elapsed.TotalMicroseconds / HitsPerRound);
            }
        }

        var rawMedian = Median(perHit[0]);
        for (var c = 0; c < contestants.Length; c++)
        {
            var median = Median(perHit[c]);
            Console.WriteLine($"| {contestants[c].Name} | {median.ToString("0.0", CultureInfo.InvariantCulture)} µs | {perHit[c].Min().ToString("0.0", CultureInfo.InvariantCulture)} µs | {(median / rawMedian).ToString("0.00", CultureInfo.InvariantCulture)} |");
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static ValueTask<Profile> Never<TState>(TState state, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the L2 hit reached the source: the entry is not in Redis");

    private static async Task Count(IServer server, string name, Profile expected, Func<Task<Profile>> hit)
    {
        for (var i = 0; i < 200; i++)
        {
            Check.Equal(expected, await hit().ConfigureAwait(false), name);
        }

        var before = await CommandCalls(server).ConfigureAwait(false);
        for (var i = 0; i < Operations; i++)
        {
            Check.Equal(expected, await hit().ConfigureAwait(false), name);
        }

        var after = await CommandCalls(server).ConfigureAwait(false);
        var perCommand = after
            .Where(pair => pair.Key != "info")
            .Select(pair => (Command: pair.Key, PerHit: (pair.Value - before.GetValueOrDefault(pair.Key)) / (double)Operations))
            .Where(pair => pair.PerHit > 0)
            .OrderByDescending(pair => pair.PerHit)
            .ToList();
        var total = perCommand.Sum(pair => pair.PerHit);
        var breakdown = string.Join(", ", perCommand.Select(pair => $"{pair.Command.ToUpperInvariant()} {pair.PerHit.ToString("0.###", CultureInfo.InvariantCulture)}"));
        Console.WriteLine($"| {name} | {total.ToString("0.###", CultureInfo.InvariantCulture)} | {breakdown} |");
    }

    private static async Task<Dictionary<string, long>> CommandCalls(IServer server)
    {
        var calls = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var group in await server.InfoAsync("commandstats").ConfigureAwait(false))
        {
            foreach (var (name, stats) in group)
            {
                // cmdstat_get: calls=10,usec=20,usec_per_call=2.00,rejected_calls=0,failed_calls=0
                var command = name.StartsWith("cmdstat_", StringComparison.Ordinal) ? name["cmdstat_".Length..] : name;
                var field = stats.Split(',').First(part => part.StartsWith("calls=", StringComparison.Ordinal));
                calls[command] = long.Parse(field["calls=".Length..], CultureInfo.InvariantCulture);
            }
        }

        return calls;
    }
}
