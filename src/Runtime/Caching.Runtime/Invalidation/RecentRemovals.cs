using System.Collections.Concurrent;

namespace Caching.Invalidation;

/// <summary>
/// Recently removed keys, each with the stamp a value needs to be stored again, so a load of the key that began
/// before the removal cannot put its old value back (in L1; in Redis a tombstone does the same while it lives). Past
/// the capacity the oldest are forgotten and their floor becomes a watermark every store must clear: a load that
/// began before a forgotten removal stores nothing, whatever its key. Coarse, but still safe, and bounded.
/// </summary>
internal sealed class RecentRemovals(int capacity)
{
    private readonly ConcurrentDictionary<string, long> _floors = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Key, long Floor)> _order = new();
    private long _watermark;

    public int Count => _floors.Count;

    /// <summary>Values of <paramref name="key"/> stamped below <paramref name="floor"/> must not be stored.</summary>
    public void Add(string key, long floor)
    {
        _floors.AddOrUpdate(key, static (_, raised) => raised, static (_, existing, raised) => Math.Max(existing, raised), floor);
        _order.Enqueue((key, floor));
        while (_floors.Count > capacity && _order.TryDequeue(out var oldest))
        {
            Forget(oldest);
            RaiseWatermark(oldest.Floor);
        }
    }

    /// <summary>May a load that began at <paramref name="stamp"/> store a value of <paramref name="key"/>?</summary>
    public bool AllowsStore(string key, long stamp) =>
        stamp >= Volatile.Read(ref _watermark) && !RemovedSince(key, stamp);

    /// <summary>Was <paramref name="key"/> removed after a value stamped <paramref name="stamp"/> (as far as this node still remembers)?</summary>
    public bool RemovedSince(string key, long stamp) => _floors.TryGetValue(key, out var floor) && stamp < floor;

    /// <summary>Nothing this node learned of can be checked for loads that began before <paramref name="stamp"/> (a lost subscription).</summary>
    public void RaiseWatermark(long stamp) => AtomicMax.Raise(ref _watermark, stamp);

    private void Forget((string Key, long Floor) entry) =>
        _floors.TryRemove(new KeyValuePair<string, long>(entry.Key, entry.Floor));
}
