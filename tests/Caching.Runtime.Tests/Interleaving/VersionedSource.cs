using System.Collections.Concurrent;

namespace Caching.Runtime.Tests.Interleaving;

/// <summary>What the source returns: immutable (a sealed record with init-only members), so L1 may share it.</summary>
public sealed record Versioned(string Key, int Version);

/// <summary>
/// The source of truth: an integer version per key, starting at 0 (a key never written still has a value: version 0).
/// A write increments the version. Writers of a key are serialized by a per-key lock held from the source write until
/// the cache call returns, like a database row lock held through a write-through: without it two writers of one key
/// could reach the cache in the opposite order from the source (a race no cache can resolve, so not the cache's bug).
/// Readers (loads) never take the lock: a load crossing a write is exactly the race under test.
/// </summary>
public sealed class VersionedSource
{
    private readonly ConcurrentDictionary<string, int> _versions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SemaphoreSlim> _locks;

    public VersionedSource(IEnumerable<string> keys)
    {
        _locks = keys.ToDictionary(k => k, _ => new SemaphoreSlim(1, 1), StringComparer.Ordinal);
    }

    public int Read(string key) => _versions.GetValueOrDefault(key);

    /// <summary>Increments the key's version and returns the new one.</summary>
    public int Write(string key) => _versions.AddOrUpdate(key, 1, static (_, v) => v + 1);

    /// <summary>Takes the writer locks of <paramref name="keys"/> in ordinal order (no deadlock between writers).</summary>
    public async Task<IDisposable> LockAsync(IEnumerable<string> keys)
    {
        var ordered = keys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(k => _locks[k]).ToArray();
        foreach (var gate in ordered)
        {
            await gate.WaitAsync().ConfigureAwait(false);
        }

        return new Release(ordered);
    }

    private sealed class Release(SemaphoreSlim[] gates) : IDisposable
    {
        public void Dispose()
        {
            foreach (var gate in gates.Reverse())
            {
                gate.Release();
            }
        }
    }
}
