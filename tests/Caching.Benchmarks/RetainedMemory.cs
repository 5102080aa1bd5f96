using System.Globalization;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using ZiggyCreatures.Caching.Fusion;

namespace Caching.Benchmarks;

/// <summary>
/// DESIGN "retained heap per L1 entry" (<c>-- memory</c>): fills a fresh cache with N entries and reports the
/// growth of the live heap (<see cref="GC.GetTotalMemory(bool)"/> after full collections) divided by N. Keys and
/// values are built and kept alive before the first reading, so the figure is what the cache itself adds per entry:
/// its bookkeeping, and the serialized bytes for a cache that keeps them instead of (or beside) the instance.
/// </summary>
internal static class RetainedMemory
{
    public const int DefaultEntries = 100_000;

    public static void Run(int entries)
    {
        Console.WriteLine();
        Console.WriteLine($"## Retained heap per L1 entry (N = {entries.ToString("N0", CultureInfo.InvariantCulture)}, Redis off, ~207-byte payload)");
        Console.WriteLine();
        Console.WriteLine("| contestant | bytes per entry |");
        Console.WriteLine("|---|---:|");
        var oursCopy = new CacheEntryOptions { Sharing = ValueSharing.Copy };
        Report("raw MemoryCache.Set (no size limit)", entries, Payloads.Immutable, Contestants.RawMemory, static (c, k, v) => c.Set(k, v, Contestants.LocalTtl), static c => c.Dispose());
        Report("ours, immutable (shared instance)", entries, Payloads.Immutable, () => Contestants.Ours(redis: null), static (c, k, v) => c.GetOrSet(k, v, static x => x), static c => c.Dispose());
        Report("ours, mutable (Copy: keeps the bytes)", entries, Payloads.Mutable, () => Contestants.Ours(redis: null), (c, k, v) => c.GetOrSet(k, v, static x => x, oursCopy), static c => c.Dispose());
        Report("FusionCache, immutable", entries, Payloads.Immutable, () => Contestants.Fusion(redis: null), static (c, k, v) => c.GetOrSet(k, v), static c => c.Dispose());
        Report("HybridCache, immutable", entries, Payloads.Immutable, () => Contestants.Hybrid(redis: null), static (c, k, v) => Sync.Result(c.Cache.GetOrCreateAsync(k, v, static (x, _) => ValueTask.FromResult(x))), static c => c.Services.Dispose());
        Report("HybridCache, mutable (keeps the bytes)", entries, Payloads.Mutable, () => Contestants.Hybrid(redis: null), static (c, k, v) => Sync.Result(c.Cache.GetOrCreateAsync(k, v, static (x, _) => ValueTask.FromResult(x))), static c => c.Services.Dispose());
    }

    private static void Report<TCache, TValue>(string name, int entries, Func<int, TValue> makeValue, Func<TCache> create, Action<TCache, string, TValue> add, Action<TCache> dispose)
    {
        var keys = new string[entries];
        var values = new TValue[entries];
        for (var i = 0; i < entries; i++)
        {
            keys[i] = "user:" + i.ToString(CultureInfo.InvariantCulture) + ":profile";
            values[i] = makeValue(i);
        }

        // A throwaway round first: JIT, static caches and pools of the contestant are not per-entry costs.
        var warm = create();
        for (var i = 0; i < 1000; i++)
        {
            add(warm, "warm:" + i.ToString(CultureInfo.InvariantCulture), values[i]);
        }

        dispose(warm);
        var before = LiveBytes();
        var cache = create();
        for (var i = 0; i < entries; i++)
        {
            add(cache, keys[i], values[i]);
        }

        var after = LiveBytes();
        GC.KeepAlive(cache);
        GC.KeepAlive(keys);
        GC.KeepAlive(values);
        dispose(cache);
        Console.WriteLine($"| {name} | {((after - before) / (double)entries).ToString("N0", CultureInfo.InvariantCulture)} |");
    }

    private static long LiveBytes()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
