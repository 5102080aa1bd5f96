using System.Diagnostics;
using Caching.Runtime.Tests.Infrastructure;
using Caching.Testing;

namespace Caching.Runtime.Tests.Interleaving;

/// <summary>
/// Runs one <see cref="Schedule"/> on three fresh <see cref="MultiLayerCache"/> nodes over a real redis-server
/// (flushed first), records the <see cref="History"/>, then runs the final phase. Public API only.
/// </summary>
public sealed class InterleavingRunner(RedisServer redis)
{
    /// <summary>How long a backplane message may take to reach the other nodes (generous on loopback).</summary>
    public static readonly TimeSpan BackplaneBound = TimeSpan.FromSeconds(1);

    /// <summary>How long the nodes may take to reconnect after a restart before the seed fails.</summary>
    public static readonly TimeSpan ReconnectBound = TimeSpan.FromSeconds(20);

    public const string KeyPrefix = "interleave";

    private int _probeRetries;

    /// <summary>How many start-up probes of this runner's runs were retried (a node's first set/get overran its timeout).</summary>
    public int ProbeRetries => Volatile.Read(ref _probeRetries);

    private static readonly Dictionary<string, CacheEntryOptions> L2Only = Keyspace.Keys.ToDictionary(
        k => k,
        k => new CacheEntryOptions { Tags = Keyspace.OptionsFor(k).Tags, LocalTtl = Keyspace.OptionsFor(k).LocalTtl, RedisTtl = Keyspace.OptionsFor(k).RedisTtl, SkipLocal = true },
        StringComparer.Ordinal);

    public async Task<History> RunAsync(Schedule schedule)
    {
        if (!redis.IsRunning)
        {
            redis.Start();
        }

        await redis.ExecuteAsync("FLUSHALL");
        var nodes = Enumerable.Range(0, Schedule.Nodes).Select(_ => new MultiLayerCache(CacheFactory.Options(redis, KeyPrefix, Configure))).ToArray();
        try
        {
            // As a host's startup probe does: connected and subscribed to the backplane before serving. Its set/get
            // runs under the 500 ms Redis timeout these nodes use, which a call on a busy 2-core CI machine overran
            // about once in 500 seeds (each time the next probe passed); a probe is retried twice, and retries are
            // counted in the output, since this test is about invalidations, not start-up latency.
            var probes = await Task.WhenAll(nodes.Select(n => n.ProbeRedisAsync().AsTask()));
            for (var retry = 0; retry < 2 && !probes.All(ok => ok); retry++)
            {
                Interlocked.Increment(ref _probeRetries);
                probes = await Task.WhenAll(nodes.Select(n => n.ProbeRedisAsync().AsTask()));
            }

            if (!probes.All(ok => ok))
            {
                // Which part of the probe failed, and whether it was transient, is what tells a slow start-up from a
                // broken one.
                var states = string.Join("; ", nodes.Select((n, i) => $"node {i}: probe {probes[i]}, clock calibrated {n.Invalidation.Calibrated.IsCompleted} after {n.Invalidation.Clock.SamplesTaken} samples, {n.Redis} connected {n.Redis?.IsConnected}"));
                var again = await Task.WhenAll(nodes.Select(n => n.ProbeRedisAsync().AsTask()));
                throw new InvalidOperationException($"a node could not reach Redis at start ({states}; probed again: {string.Join(", ", again)})");
            }

            var source = new VersionedSource(Keyspace.Keys);
            var clock = Stopwatch.StartNew();

            // Every node and Redis start with version 0 of every key cached: each write then has an old value to race.
            var primed = await PrimeAsync(nodes, source, clock);
            var restart = schedule.Restart is { } plan ? Task.Run(() => RestartAsync(plan, clock)) : null;
            var ops = await Task.WhenAll(schedule.Ops.Select(op => Task.Run(() => RunOpAsync(op, nodes[op.Node], source, clock))));
            Outage? outage = null;
            if (restart is not null)
            {
                var (stoppedAt, restartedAt) = await restart;
                outage = new Outage(stoppedAt, restartedAt, await ReconnectedAsync(nodes, clock));
            }

            var finalReads = await FinalPhaseAsync(nodes, source, clock);
            return new History(schedule.Seed, [.. primed, .. ops], finalReads, Keyspace.Keys.ToDictionary(k => k, source.Read), outage);
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    private static void Configure(MultiLayerCacheOptions options)
    {
        options.RedisTimeout = TimeSpan.FromMilliseconds(500);
        options.BreakerDuration = TimeSpan.FromMilliseconds(500);
        foreach (var shape in Schedule.IndexedShapes)
        {
            options.IndexedPatterns.Add(shape);
        }

        // Long lifetimes: a stale value must not hide by expiring during the run.
        options.LocalTtl = TimeSpan.FromMinutes(10);
        options.RedisTtl = TimeSpan.FromMinutes(20);
    }

    private static async Task<IReadOnlyList<OpRecord>> PrimeAsync(MultiLayerCache[] nodes, VersionedSource source, Stopwatch clock)
    {
        var records = new List<OpRecord>();
        var id = -1;
        for (var n = 0; n < nodes.Length; n++)
        {
            foreach (var key in Keyspace.Keys)
            {
                records.Add(await ReadAsync(new PlannedOp(id--, n, OpKind.Read, key, [key], 0, 0, 0), nodes[n], source, clock));
            }
        }

        return records;
    }

    private static async Task<OpRecord> RunOpAsync(PlannedOp op, MultiLayerCache node, VersionedSource source, Stopwatch clock)
    {
        if (op.OffsetMs > 0)
        {
            await Task.Delay(op.OffsetMs);
        }

        return op.Kind == OpKind.Read ? await ReadAsync(op, node, source, clock) : await WriteAsync(op, node, source, clock);
    }

    private static async Task<OpRecord> ReadAsync(PlannedOp op, MultiLayerCache node, VersionedSource source, Stopwatch clock)
    {
        var key = op.Target;
        var loaderCalled = false;
        int? loaderRead = null;
        TimeSpan? loaderReadAt = null;
        int? returned = null;
        string? error = null;
        var start = clock.Elapsed;
        try
        {
            var value = await node.GetOrSetAsync(
                key,
                async _ =>
                {
                    loaderCalled = true;
                    if (op.LoadDelayBeforeMs > 0)
                    {
                        await Task.Delay(op.LoadDelayBeforeMs);
                    }

                    var version = source.Read(key);
                    loaderReadAt = clock.Elapsed;
                    loaderRead = version;
                    if (op.LoadDelayAfterMs > 0)
                    {
                        await Task.Delay(op.LoadDelayAfterMs);
                    }

                    return new Versioned(key, version);
                },
                Keyspace.OptionsFor(key));
            if (value is null || value.Key != key)
            {
                error = $"returned {value?.ToString() ?? "null"} for {key}";
            }
            else
            {
                returned = value.Version;
            }
        }
        catch (Exception exception)
        {
            error = exception.GetType().Name + ": " + exception.Message;
        }

        return new OpRecord
        {
            Id = op.Id, Node = op.Node, Kind = op.Kind, Target = key, Keys = op.Keys, Start = start, End = clock.Elapsed,
            Returned = returned, LoaderCalled = loaderCalled, LoaderRead = loaderRead, LoaderReadAt = loaderReadAt, Error = error,
        };
    }

    private static async Task<OpRecord> WriteAsync(PlannedOp op, MultiLayerCache node, VersionedSource source, Stopwatch clock)
    {
        using var writerLock = await source.LockAsync(op.Keys);
        var start = clock.Elapsed;
        var written = op.Keys.ToDictionary(k => k, source.Write, StringComparer.Ordinal);
        string? error = null;
        try
        {
            switch (op.Kind)
            {
                case OpKind.Set:
                    await node.SetAsync(op.Target, new Versioned(op.Target, written[op.Target]), Keyspace.OptionsFor(op.Target));
                    break;
                case OpKind.Remove:
                    await node.RemoveAsync(op.Target);
                    break;
                case OpKind.PatternPrefix or OpKind.PatternScan or OpKind.PatternIndexed:
                    await node.InvalidatePatternAsync(op.Target);
                    break;
                case OpKind.Tag:
                    await node.RemoveByTagAsync(op.Target);
                    break;
                default:
                    throw new InvalidOperationException("not a write: " + op.Kind);
            }
        }
        catch (Exception exception)
        {
            error = exception.GetType().Name + ": " + exception.Message;
        }

        return new OpRecord { Id = op.Id, Node = op.Node, Kind = op.Kind, Target = op.Target, Keys = op.Keys, Written = written, Start = start, End = clock.Elapsed, Error = error };
    }

    private async Task<(TimeSpan StoppedAt, TimeSpan RestartedAt)> RestartAsync(RestartPlan plan, Stopwatch clock)
    {
        await Task.Delay(plan.OffsetMs);
        var stoppedAt = clock.Elapsed;
        redis.Stop();
        await Task.Delay(plan.DowntimeMs);
        redis.Start();
        return (stoppedAt, clock.Elapsed);
    }

    /// <summary>Waits until every node's probe (connection, backplane subscription, a set/get) succeeds again.</summary>
    private static async Task<TimeSpan> ReconnectedAsync(MultiLayerCache[] nodes, Stopwatch clock)
    {
        var deadline = clock.Elapsed + ReconnectBound;
        foreach (var node in nodes)
        {
            while (!await node.ProbeRedisAsync())
            {
                if (clock.Elapsed > deadline)
                {
                    throw new TimeoutException($"a node did not reconnect to Redis within {ReconnectBound} after the restart");
                }

                await Task.Delay(50);
            }
        }

        return clock.Elapsed;
    }

    /// <summary>
    /// Reads every key on every node (GetOrSetAsync, and GetAsync skipping L1 for what L2 holds) until all agree with
    /// the source or the backplane bound has passed; returns the last round. Polling instead of sleeping the bound is
    /// equivalent here: once every operation has returned, nothing can write an older value any more (only deletions
    /// are still in flight), so a round that agrees stays agreed; the L2-only reads catch an old value kept in Redis
    /// under a fresh L1 entry, which a later eviction would expose.
    /// </summary>
    private static async Task<IReadOnlyList<FinalRead>> FinalPhaseAsync(MultiLayerCache[] nodes, VersionedSource source, Stopwatch clock)
    {
        var deadline = clock.Elapsed + BackplaneBound;
        while (true)
        {
            var round = new List<FinalRead>();
            for (var n = 0; n < nodes.Length; n++)
            {
                foreach (var key in Keyspace.Keys)
                {
                    round.Add(await FinalReadAsync(nodes[n], n, key, source, clock));
                    round.Add(await FinalL2ReadAsync(nodes[n], n, key, source, clock));
                }
            }

            var agreed = round.All(r => r.RedisOnly ? !r.Found || r.Version == r.SourceVersion : r.Found && r.Version == r.SourceVersion);
            if (agreed || clock.Elapsed > deadline)
            {
                return round;
            }

            await Task.Delay(20);
        }
    }

    private static async Task<FinalRead> FinalReadAsync(MultiLayerCache node, int index, string key, VersionedSource source, Stopwatch clock)
    {
        var loaded = false;
        var current = source.Read(key);
        try
        {
            var value = await node.GetOrSetAsync(key, _ => { loaded = true; return ValueTask.FromResult(new Versioned(key, source.Read(key))); }, Keyspace.OptionsFor(key));
            return new FinalRead(index, key, false, value is not null && value.Key == key, value?.Version, current, loaded, clock.Elapsed);
        }
        catch (Exception)
        {
            return new FinalRead(index, key, false, false, null, current, loaded, clock.Elapsed);
        }
    }

    private static async Task<FinalRead> FinalL2ReadAsync(MultiLayerCache node, int index, string key, VersionedSource source, Stopwatch clock)
    {
        var current = source.Read(key);
        try
        {
            var result = await node.GetAsync<Versioned>(key, L2Only[key]);
            return new FinalRead(index, key, true, result.Found, result.Value?.Version, current, false, clock.Elapsed);
        }
        catch (Exception)
        {
            // A throwing read is reported as a found value that cannot agree.
            return new FinalRead(index, key, true, true, null, current, false, clock.Elapsed);
        }
    }
}
