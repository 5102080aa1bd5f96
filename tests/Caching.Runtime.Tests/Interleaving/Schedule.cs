namespace Caching.Runtime.Tests.Interleaving;

public enum OpKind
{
    /// <summary>GetOrSetAsync with the delayed loader.</summary>
    Read,

    /// <summary>Source write, then SetAsync with the written value (write-through).</summary>
    Set,

    /// <summary>Source write, then RemoveAsync(key).</summary>
    Remove,

    /// <summary>Source writes, then InvalidatePatternAsync("user:{u}:*") (a segment-prefix pattern).</summary>
    PatternPrefix,

    /// <summary>Source writes, then InvalidatePatternAsync("user:?:orders") (a run-time pattern: SCAN).</summary>
    PatternScan,

    /// <summary>Source writes, then InvalidatePatternAsync("*:orders", "*:profile" or "user:*:orders"): instances of indexed shapes, one mark each.</summary>
    PatternIndexed,

    /// <summary>Source writes to every key with the tag, then RemoveByTagAsync("tenant:{t}").</summary>
    Tag,
}

/// <summary>One planned operation: which node runs it, when it starts, and for reads the loader's two delays.</summary>
public sealed record PlannedOp(int Id, int Node, OpKind Kind, string Target, IReadOnlyList<string> Keys, int OffsetMs, int LoadDelayBeforeMs, int LoadDelayAfterMs);

/// <summary>A Redis restart in the middle of the schedule: Stop at the offset, Start after the downtime.</summary>
public sealed record RestartPlan(int OffsetMs, int DowntimeMs);

public sealed record Schedule(int Seed, IReadOnlyList<PlannedOp> Ops, RestartPlan? Restart)
{
    public const int Nodes = 3;
    public const int WindowMs = 150;

    /// <summary>The shapes every node registers (<see cref="MultiLayerCacheOptions.IndexedPatterns"/>).</summary>
    public static readonly string[] IndexedShapes = ["*:{kind}", "user:*:{kind}"];

    private static readonly string[] IndexedInstances = ["*:orders", "*:profile", "user:*:orders"];

    /// <summary>The schedule is a pure function of the seed: a replay runs the same operations with the same delays.</summary>
    public static Schedule Generate(int seed)
    {
        var random = new Random(seed);
        var count = random.Next(12, 25);
        var ops = new List<PlannedOp>(count);
        var writes = new List<PlannedOp>();
        for (var id = 0; id < count; id++)
        {
            var node = random.Next(Nodes);
            var offset = random.Next(WindowMs);
            var roll = random.Next(100);
            var key = Keyspace.Keys[random.Next(Keyspace.Keys.Count)];
            var user = Keyspace.UserOf(key);
            if (roll < 55 && writes.Count > 0 && random.Next(100) < 40)
            {
                // A read aimed at a write: an affected key, mostly on the writer's node, starting while its call runs.
                var target = writes[random.Next(writes.Count)];
                node = random.Next(4) == 0 ? random.Next(Nodes) : target.Node;
                key = target.Keys[random.Next(target.Keys.Count)];
                offset = Math.Min(WindowMs - 1, target.OffsetMs + random.Next(4));
            }

            PlannedOp op = roll switch
            {
                < 55 => new PlannedOp(id, node, OpKind.Read, key, [key], offset, LoadDelay(random), LoadDelay(random)),
                < 67 => new PlannedOp(id, node, OpKind.Set, key, [key], offset, 0, 0),
                < 77 => new PlannedOp(id, node, OpKind.Remove, key, [key], offset, 0, 0),
                < 85 => Pattern(id, node, offset, $"user:{user}:*", OpKind.PatternPrefix),
                < 88 => Pattern(id, node, offset, "user:?:orders", OpKind.PatternScan),
                < 93 => Pattern(id, node, offset, IndexedInstances[random.Next(IndexedInstances.Length)], OpKind.PatternIndexed),
                _ => Tag(id, node, offset, "tenant:" + random.Next(2)),
            };
            ops.Add(op);
            if (op.Kind != OpKind.Read)
            {
                writes.Add(op);
            }
        }

        RestartPlan? restart = random.Next(20) == 0 ? new RestartPlan(random.Next(20, WindowMs - 20), random.Next(20, 100)) : null;
        return new Schedule(seed, ops, restart);
    }

    /// <summary>0-15 ms mostly, sometimes 0, sometimes a long 40 ms (a load that spans several other operations).</summary>
    private static int LoadDelay(Random random) => random.Next(10) switch
    {
        0 => 0,
        1 => 40,
        _ => random.Next(16),
    };

    private static PlannedOp Pattern(int id, int node, int offset, string pattern, OpKind kind) =>
        new(id, node, kind, pattern, Keyspace.MatchingPattern(pattern), offset, 0, 0);

    private static PlannedOp Tag(int id, int node, int offset, string tag) =>
        new(id, node, OpKind.Tag, tag, Keyspace.Tagged(tag), offset, 0, 0);
}
