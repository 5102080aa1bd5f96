namespace Caching.Runtime.Tests.Interleaving;

/// <summary>
/// The checker is fed small hand-made histories that break each property (and near misses that do not):
/// it must report exactly the broken ones, so a green interleaving run means something.
/// </summary>
public sealed class PropertyCheckerSelfTests
{
    private const string Key = "user:1:profile";
    private static readonly TimeSpan Bound = InterleavingRunner.BackplaneBound;

    [Fact]
    public void A_consistent_history_passes()
    {
        var report = PropertyChecker.Check(History(Write(1, node: 0, 10, 12), Read(2, node: 0, 13, returned: 1), Read(3, node: 1, 13 + Bound.TotalMilliseconds, returned: 1)), Bound);

        Assert.True(report.Passed, report.Describe());
        Assert.Equal(1, report.IssuerPairs);
        Assert.Equal(1, report.OtherPairs);
    }

    [Fact]
    public void An_issuer_read_after_the_invalidation_returned_with_an_older_version_is_reported()
    {
        var report = PropertyChecker.Check(History(Write(1, node: 0, 10, 12), Read(2, node: 0, 11, returned: 0), Read(3, node: 0, 13, returned: 0)), Bound);

        // Read 2 overlapped the invalidation call: it may return either version. Read 3 started after it returned.
        var violation = Assert.Single(report.Violations);
        Assert.Equal(Property.Issuer, violation.Property);
        Assert.Contains("read #3 on node0", violation.Message, StringComparison.Ordinal);
        var text = report.Describe();
        Assert.Contains("seed 42", text, StringComparison.Ordinal);
        Assert.Contains("[Issuer]", text, StringComparison.Ordinal);
        Assert.Contains("Remove", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_remote_read_past_the_backplane_bound_with_an_older_version_is_reported()
    {
        var withinBound = Read(2, node: 1, 12 + (Bound.TotalMilliseconds / 2), returned: 0);
        var pastBound = Read(3, node: 2, 12 + Bound.TotalMilliseconds + 1, returned: 0);

        var report = PropertyChecker.Check(History(Write(1, node: 0, 10, 12), withinBound, pastBound), Bound);

        var violation = Assert.Single(report.Violations);
        Assert.Equal(Property.Others, violation.Property);
        Assert.Contains("read #3 on node2", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_final_read_disagreeing_with_the_source_is_reported_in_L1_and_in_L2()
    {
        var finals = new[]
        {
            new FinalRead(0, Key, RedisOnly: false, Found: true, Version: 1, SourceVersion: 1, LoaderCalled: false, TimeSpan.FromSeconds(2)),
            new FinalRead(1, Key, RedisOnly: false, Found: true, Version: 0, SourceVersion: 1, LoaderCalled: false, TimeSpan.FromSeconds(2)),
            new FinalRead(1, Key, RedisOnly: true, Found: false, Version: null, SourceVersion: 1, LoaderCalled: false, TimeSpan.FromSeconds(2)),
            new FinalRead(2, Key, RedisOnly: true, Found: true, Version: 0, SourceVersion: 1, LoaderCalled: false, TimeSpan.FromSeconds(2)),
        };

        var report = PropertyChecker.Check(History([Write(1, node: 0, 10, 12)], finals), Bound);

        Assert.Equal(2, report.Violations.Count);
        Assert.All(report.Violations, v => Assert.Equal(Property.FinalAgreement, v.Property));
        Assert.Contains(report.Violations, v => v.Message.Contains("final node1 GetOrSet", StringComparison.Ordinal));
        Assert.Contains(report.Violations, v => v.Message.Contains("final node2 L2 only", StringComparison.Ordinal));
    }

    [Fact]
    public void A_call_that_threw_is_reported()
    {
        var report = PropertyChecker.Check(History(Write(1, node: 0, 10, 12) with { Error = "TimeoutException: boom" }), Bound);

        Assert.Equal(Property.NoError, Assert.Single(report.Violations).Property);
    }

    [Fact]
    public void During_an_outage_only_the_other_nodes_bound_is_relaxed()
    {
        var outage = new Outage(StoppedAt: TimeSpan.FromMilliseconds(5), RestartedAt: TimeSpan.FromMilliseconds(60), ReconnectedAt: TimeSpan.FromMilliseconds(3000));
        var remote = Read(2, node: 1, 12 + Bound.TotalMilliseconds + 1, returned: 0);
        var remoteAfterReconnect = Read(3, node: 1, 3000 + Bound.TotalMilliseconds + 1, returned: 0);
        var issuer = Read(4, node: 0, 13, returned: 0);

        var report = PropertyChecker.Check(History([Write(1, node: 0, 10, 12), remote, remoteAfterReconnect, issuer], [], outage), Bound);

        Assert.Equal(2, report.Violations.Count);
        Assert.Contains(report.Violations, v => v.Property == Property.Issuer && v.Message.Contains("read #4", StringComparison.Ordinal));
        Assert.Contains(report.Violations, v => v.Property == Property.Others && v.Message.Contains("read #3", StringComparison.Ordinal));
    }

    private static History History(params OpRecord[] ops) => History(ops, []);

    private static History History(OpRecord[] ops, FinalRead[] finals, Outage? outage = null) =>
        new(42, ops, finals, new Dictionary<string, int> { [Key] = 1 }, outage);

    private static OpRecord Write(int id, int node, double startMs, double endMs) => new()
    {
        Id = id, Node = node, Kind = OpKind.Remove, Target = Key, Keys = [Key], Written = new Dictionary<string, int> { [Key] = 1 },
        Start = TimeSpan.FromMilliseconds(startMs), End = TimeSpan.FromMilliseconds(endMs),
    };

    private static OpRecord Read(int id, int node, double startMs, int returned) => new()
    {
        Id = id, Node = node, Kind = OpKind.Read, Target = Key, Keys = [Key], Returned = returned,
        Start = TimeSpan.FromMilliseconds(startMs), End = TimeSpan.FromMilliseconds(startMs + 1),
    };
}
