using System.Globalization;
using System.Text;

namespace Caching.Runtime.Tests.Interleaving;

public enum Property
{
    /// <summary>Invariant 1 on the way: no cache call throws.</summary>
    NoError,

    /// <summary>After an invalidation (or set) returns, the node that issued it never serves an older version.</summary>
    Issuer,

    /// <summary>Every other node stops serving older versions within the backplane bound.</summary>
    Others,

    /// <summary>After the run every node (and L2) agrees with the source: also catches an old value written back (stale set).</summary>
    FinalAgreement,
}

public sealed record Violation(Property Property, string Key, string Message);

public sealed record CheckReport(History History, IReadOnlyList<Violation> Violations, int IssuerPairs, int OtherPairs, int FinalReads)
{
    public bool Passed => Violations.Count == 0;

    /// <summary>The violations, then for each key involved the slice of the history that touched it.</summary>
    public string Describe(int maxViolations = 8)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"seed {History.Seed}: {Violations.Count} violation(s) of {string.Join(", ", Violations.Select(v => v.Property).Distinct())}");
        foreach (var violation in Violations.Take(maxViolations))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  [{violation.Property}] {violation.Message}");
        }

        if (Violations.Count > maxViolations)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  ... and {Violations.Count - maxViolations} more");
        }

        foreach (var key in Violations.Select(v => v.Key).Distinct().Take(3))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $" history of {key} (ops touching it, then the final reads):");
            text.Append(History.Describe(History.Ops.Where(op => op.Keys.Contains(key))));
            foreach (var read in History.FinalReads.Where(r => r.Key == key))
            {
                text.Append("  ").AppendLine(read.ToString());
            }
        }

        return text.ToString();
    }
}

/// <summary>
/// Checks DESIGN invariant 2 over a recorded history. Pure: the self-test feeds it hand-made histories.
/// </summary>
public static class PropertyChecker
{
    public static CheckReport Check(History history, TimeSpan bound)
    {
        var violations = new List<Violation>();
        var issuerPairs = 0;
        var otherPairs = 0;
        foreach (var op in history.Ops.Where(op => op.Error is not null))
        {
            violations.Add(new Violation(Property.NoError, op.Keys.FirstOrDefault() ?? op.Target, $"#{op.Id} {op.Kind}({op.Target}) on node{op.Node} threw {op.Error}"));
        }

        // A write whose call threw did not "return": it promises nothing.
        var writes = history.Ops.Where(op => op.IsWrite && op.Error is null).ToList();
        var reads = history.Ops.Where(op => op.Kind == OpKind.Read && op.Error is null && op.Returned is not null).ToList();
        foreach (var write in writes)
        {
            var otherDeadline = OtherNodesDeadline(write, history.Outage, bound);
            foreach (var read in reads)
            {
                if (!write.Written.TryGetValue(read.Target, out var written))
                {
                    continue;
                }

                var sameNode = read.Node == write.Node;
                if (sameNode ? read.Start <= write.End : read.Start <= otherDeadline)
                {
                    continue;
                }

                if (sameNode)
                {
                    issuerPairs++;
                }
                else
                {
                    otherPairs++;
                }

                if (read.Returned < written)
                {
                    var after = sameNode
                        ? $"after #{write.Id} {write.Kind}({write.Target}) on the same node returned at {OpRecord.Ms(write.End)}"
                        : $"after #{write.Id} {write.Kind}({write.Target}) on node{write.Node} returned at {OpRecord.Ms(write.End)} + bound = {OpRecord.Ms(otherDeadline)}";
                    violations.Add(new Violation(
                        sameNode ? Property.Issuer : Property.Others,
                        read.Target,
                        $"read #{read.Id} on node{read.Node} of {read.Target} started at {OpRecord.Ms(read.Start)}, {after} having written v{written}, but returned v{read.Returned}"));
                }
            }
        }

        foreach (var read in history.FinalReads)
        {
            var agrees = read.RedisOnly ? !read.Found || read.Version == read.SourceVersion : read.Found && read.Version == read.SourceVersion;
            if (!agrees)
            {
                violations.Add(new Violation(Property.FinalAgreement, read.Key, $"after the run, {read}"));
            }
        }

        return new CheckReport(history, violations, issuerPairs, otherPairs, history.FinalReads.Count);
    }

    /// <summary>
    /// From when other nodes must no longer serve what <paramref name="write"/> replaced: its return plus the backplane
    /// bound. The one relaxation: a write whose bound overlaps a Redis outage has no backplane to travel on, so other
    /// nodes get the bound from the moment every node is connected again (the final phase checks them after that).
    /// </summary>
    public static TimeSpan OtherNodesDeadline(OpRecord write, Outage? outage, TimeSpan bound)
    {
        var deadline = write.End + bound;
        if (outage is not null && deadline > outage.StoppedAt)
        {
            deadline = (write.End > outage.ReconnectedAt ? write.End : outage.ReconnectedAt) + bound;
        }

        return deadline;
    }
}
