using System.Globalization;
using System.Text;

namespace Caching.Runtime.Tests.Interleaving;

/// <summary>
/// One completed operation. Times are offsets on one stopwatch shared by every node and the source. For writes,
/// <see cref="Written"/> holds the version written to the source per affected key; the source writes happen first,
/// then the cache call, which returned at <see cref="End"/>. For reads,
/// <see cref="Returned"/> is the version the cache returned, and the loader fields say whether this read's own
/// factory ran and which version it read from the source, when.
/// </summary>
public sealed record OpRecord
{
    public required int Id { get; init; }

    public required int Node { get; init; }

    public required OpKind Kind { get; init; }

    public required string Target { get; init; }

    public required IReadOnlyList<string> Keys { get; init; }

    public IReadOnlyDictionary<string, int> Written { get; init; } = new Dictionary<string, int>();

    public required TimeSpan Start { get; init; }

    public required TimeSpan End { get; init; }

    public int? Returned { get; init; }

    public bool LoaderCalled { get; init; }

    public int? LoaderRead { get; init; }

    public TimeSpan? LoaderReadAt { get; init; }

    public string? Error { get; init; }

    public bool IsWrite => Kind != OpKind.Read;

    public override string ToString()
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"#{Id,-2} node{Node} {Ms(Start),8}..{Ms(End),-8} {Kind,-13} {Target,-15}");
        if (IsWrite)
        {
            text.Append(" wrote ").AppendJoin(", ", Written.Select(w => $"{w.Key}=v{w.Value}"));
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $" -> {(Returned is { } v ? "v" + v : "-")}");
            text.Append(LoaderCalled ? $" (own load read v{LoaderRead} at {Ms(LoaderReadAt ?? TimeSpan.Zero)})" : " (no own load: a hit, or joined another read's load)");
        }

        if (Error is not null)
        {
            text.Append(" THREW ").Append(Error);
        }

        return text.ToString();
    }

    internal static string Ms(TimeSpan time) => time.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture) + "ms";
}

/// <summary>A read of the final phase. <see cref="RedisOnly"/>: GetAsync with SkipLocal (what L2 would serve).</summary>
public sealed record FinalRead(int Node, string Key, bool RedisOnly, bool Found, int? Version, int SourceVersion, bool LoaderCalled, TimeSpan At)
{
    public override string ToString() =>
        $"final node{Node} {(RedisOnly ? "L2 only" : "GetOrSet"),-8} {Key,-15} -> {(Found ? "v" + Version : "miss")} (source v{SourceVersion}{(RedisOnly ? string.Empty : LoaderCalled ? ", loaded" : ", cached")}) at {OpRecord.Ms(At)}";
}

/// <summary>A Redis restart: killed at <see cref="StoppedAt"/>, answering PING at <see cref="RestartedAt"/>, every node's probe answered at <see cref="ReconnectedAt"/>.</summary>
public sealed record Outage(TimeSpan StoppedAt, TimeSpan RestartedAt, TimeSpan ReconnectedAt);

/// <summary>Everything one seed did, in the form the checker reads.</summary>
public sealed record History(int Seed, IReadOnlyList<OpRecord> Ops, IReadOnlyList<FinalRead> FinalReads, IReadOnlyDictionary<string, int> SourceFinal, Outage? Outage)
{
    public string Describe(IEnumerable<OpRecord> slice)
    {
        var text = new StringBuilder();
        if (Outage is { } o)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  redis stopped {OpRecord.Ms(o.StoppedAt)}, answering {OpRecord.Ms(o.RestartedAt)}, all nodes reconnected {OpRecord.Ms(o.ReconnectedAt)}");
        }

        foreach (var op in slice.OrderBy(op => op.Start))
        {
            text.Append("  ").AppendLine(op.ToString());
        }

        return text.ToString();
    }
}
