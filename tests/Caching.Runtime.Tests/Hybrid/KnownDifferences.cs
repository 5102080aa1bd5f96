namespace Caching.Runtime.Tests.Hybrid;

/// <summary>
/// Where an implementation's behaviour departs from HybridCache's documentation or from the other implementation.
/// The conformance rows name these and assert what each implementation does, so a change on either side fails.
/// </summary>
internal static class KnownDifferences
{
    /// <summary>
    /// HybridCacheOptions.MaximumPayloadBytes documents "the value isn't stored in the cache". Microsoft's
    /// DefaultHybridCache keeps it out of the distributed cache but, when serialization stops at the quota, still
    /// puts the value in L1 (StampedeState.SetResultPreSerialized keeps a fallback value), so the next call on the
    /// same node is a hit. Ours stores it nowhere.
    /// </summary>
    public const string MicrosoftKeepsOversizedValuesInL1 = nameof(MicrosoftKeepsOversizedValuesInL1);

    /// <summary>
    /// Microsoft cancels the shared factory's token once every caller waiting for it has cancelled. Ours runs the
    /// factory on the cache's lifetime (DESIGN invariant 5: a caller's cancellation never cancels the shared load):
    /// a load that every caller left still finishes and is cached, so the next caller gets a hit.
    /// </summary>
    public const string OursFinishesALoadEveryCallerLeft = nameof(OursFinishesALoadEveryCallerLeft);

    /// <summary>
    /// Microsoft's L1 does not hear about another node's RemoveAsync or RemoveByTagAsync: it serves the old value
    /// until its local expiry. Ours evicts every node's L1 through the Redis backplane (CrossNodeEvictionTests).
    /// </summary>
    public const string MicrosoftL1IsNotEvictedByOtherNodes = nameof(MicrosoftL1IsNotEvictedByOtherNodes);

    /// <summary>
    /// A load that begins within about two clock error bounds (typically under a millisecond on one network) after an
    /// invalidation is returned to its caller but not cached: on Redis's clock it cannot be told apart from a load
    /// that began before the invalidation (Invalidation/readme.md, "Time"). Microsoft re-stamps such a load one tick
    /// later and caches it, which is right on one node and can keep a stale value across nodes. So with ours, the
    /// call after the first reload that follows an invalidation may run the factory once more.
    /// </summary>
    public const string OursMayNotCacheALoadRightAfterAnInvalidation = nameof(OursMayNotCacheALoadRightAfterAnInvalidation);
}
