using System.Collections.Concurrent;

namespace Caching.Internal;

/// <summary>
/// The keys this node wrote to Redis in the last few seconds. An invalidation from another node can cross one of
/// our loads in flight: their UNLINK lands before our SET, and their backplane message reaches us after it. When
/// that message arrives, the matching keys written here within the window are deleted again, so a stale value
/// written by the race lives at most as long as the backplane delay.
/// </summary>
internal sealed class RecentWrites(TimeSpan window)
{
    private readonly ConcurrentQueue<Write> _writes = new();
    private readonly long _windowMs = (long)window.TotalMilliseconds;

    public void Add(string key, IReadOnlyList<string>? tags)
    {
        var now = Environment.TickCount64;
        _writes.Enqueue(new Write(key, tags, now));
        Prune(now);
    }

    public List<string> Matching(Invalidation invalidation)
    {
        var now = Environment.TickCount64;
        Prune(now);
        var keys = new List<string>();
        foreach (var write in _writes)
        {
            if (invalidation.Affects(write.Key, write.Tags))
            {
                keys.Add(write.Key);
            }
        }

        return keys;
    }

    private void Prune(long now)
    {
        while (_writes.TryPeek(out var oldest) && now - oldest.TickMs > _windowMs)
        {
            _writes.TryDequeue(out _);
        }
    }

    private readonly record struct Write(string Key, IReadOnlyList<string>? Tags, long TickMs);
}
