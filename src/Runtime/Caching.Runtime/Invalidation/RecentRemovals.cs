using System.Collections.Concurrent;

namespace Caching.Invalidation;

/// <summary>
/// Keys removed in the last <c>StaleSetWindow</c>, each with the stamp a value needs to be stored again, so a load
/// of the key that began before the removal cannot put its old value back in L1 (Redis has a tombstone for the same
/// purpose). A load older than the window stores nothing, so older removals are forgotten. Past the capacity the
/// oldest are forgotten early and their floor becomes a watermark every store must clear: coarse, but still safe.
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
            var current = Volatile.Read(ref _watermark);
            if (oldest.Floor > current)
            {
                Interlocked.CompareExchange(ref _watermark, oldest.Floor, current);
            }
        }
    }

    public bool AllowsStore(string key, long stamp) =>
        stamp >= Volatile.Read(ref _watermark) && (!_floors.TryGetValue(key, out var floor) || stamp >= floor);

    /// <summary>Forgets removals whose floor is below <paramref name="before"/>.</summary>
    public void ForgetBefore(long before)
    {
        while (_order.TryPeek(out var oldest) && oldest.Floor < before && _order.TryDequeue(out oldest))
        {
            Forget(oldest);
        }
    }

    private void Forget((string Key, long Floor) entry) =>
        _floors.TryRemove(new KeyValuePair<string, long>(entry.Key, entry.Floor));
}
