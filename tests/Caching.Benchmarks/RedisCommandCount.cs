using System.Globalization;
using System.Text.Json;
using Caching.Testing;
using Microsoft.Extensions.Caching.Hybrid;
using StackExchange.Redis;
using ZiggyCreatures.Caching.Fusion;

namespace Caching.Benchmarks;

/// <summary>
/// Redis commands per L2 hit (<c>-- commands</c>): the same reads as <see cref="L2HitBenchmarks"/>, counted by the
/// server. <c>INFO commandstats</c> is read before and after N sequential hits on one admin connection; the delta
/// per command, divided by N, is printed (the INFO call itself is left out; a client heartbeat during the run would
/// show as a fraction far below 1).
/// </summary>
internal static class RedisCommandCount
{
    private const int Operations = 2000;
    private const string Key = "user:42:profile";

    public static async Task RunAsync()
    {
        Console.WriteLine();
        Console.WriteLine($"## Redis commands per L2 hit (INFO commandstats delta over {Operations.ToString("N0", CultureInfo.InvariantCulture)} hits)");
        Console.WriteLine();
        Console.WriteLine("| contestant | commands per hit | by command | mean time per hit |");
        Console.WriteLine("|---|---:|---|---:|");

        using var redis = new RedisServer();
        await using var admin = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString + ",allowAdmin=true").ConfigureAwait(false);
        var server = admin.GetServer(redis.Endpoint);
        var value = Payloads.Immutable();

        await using (var raw = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString).ConfigureAwait(false))
        {
            var database = raw.GetDatabase();
            RedisKey rawKey = "raw:" + Key;
            await database.StringSetAsync(rawKey, JsonSerializer.SerializeToUtf8Bytes(value)).ConfigureAwait(false);
            await Count(server, "raw GET + System.Text.Json", value, async () =>
            {
                var bytes = await database.StringGetAsync(rawKey).ConfigureAwait(false);
                return JsonSerializer.Deserialize<Profile>((byte[])bytes!)!;
            }).ConfigureAwait(false);
        }

        var skipLocal = new CacheEntryOptions { SkipLocal = true };
        await using (var ours = Contestants.Ours(redis))
        {
            Contestants.WaitForRedis(ours);
            await ours.GetOrSetAsync(Key, value, static (v, _) => ValueTask.FromResult(v), skipLocal).ConfigureAwait(false);
            await Count(server, "ours GetOrSetAsync, SkipLocal", value, () => ours.GetOrSetAsync(Key, 0, Never, skipLocal).AsTask()).ConfigureAwait(false);
        }

        await using (var ours = Contestants.Ours(redis, localEnabled: false))
        {
            Contestants.WaitForRedis(ours);
            await Count(server, "ours GetOrSetAsync, L1 disabled", value, () => ours.GetOrSetAsync(Key, 0, Never).AsTask()).ConfigureAwait(false);
        }

        var fusionL2Only = new FusionCacheEntryOptions { Duration = Contestants.LocalTtl, DistributedCacheDuration = Contestants.RedisTtl, SkipMemoryCacheRead = true, SkipMemoryCacheWrite = true };
        using (var fusion = Contestants.Fusion(redis))
        {
            await fusion.SetAsync(Key, value, fusionL2Only).ConfigureAwait(false);
            await Count(server, "FusionCache GetOrSetAsync, memory skipped", value, () => fusion.GetOrSetAsync<Profile>(Key, static (_, _) => throw new InvalidOperationException("miss"), options: fusionL2Only).AsTask()).ConfigureAwait(false);
        }

        var hybridL2Only = new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableLocalCache };
        var (hybrid, services) = Contestants.Hybrid(redis);
        await using (services.ConfigureAwait(false))
        {
            await hybrid.SetAsync(Key, value, hybridL2Only).ConfigureAwait(false);
            await Count(server, "HybridCache GetOrCreateAsync, local cache disabled", value, () => hybrid.GetOrCreateAsync(Key, 0, Never, hybridL2Only).AsTask()).ConfigureAwait(false);
        }
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
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < Operations; i++)
        {
            Check.Equal(expected, await hit().ConfigureAwait(false), name);
        }

        clock.Stop();
        var after = await CommandCalls(server).ConfigureAwait(false);
        var perCommand = after
            .Where(pair => pair.Key != "info")
            .Select(pair => (Command: pair.Key, PerHit: (pair.Value - before.GetValueOrDefault(pair.Key)) / (double)Operations))
            .Where(pair => pair.PerHit > 0)
            .OrderByDescending(pair => pair.PerHit)
            .ToList();
        var total = perCommand.Sum(pair => pair.PerHit);
        var breakdown = string.Join(", ", perCommand.Select(pair => $"{pair.Command.ToUpperInvariant()} {pair.PerHit.ToString("0.###", CultureInfo.InvariantCulture)}"));
        var micros = clock.Elapsed.TotalMicroseconds / Operations;
        Console.WriteLine($"| {name} | {total.ToString("0.###", CultureInfo.InvariantCulture)} | {breakdown} | {micros.ToString("0.0", CultureInfo.InvariantCulture)} µs |");
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
