namespace Caching;

/// <summary>
/// The public invalidation calls. The protocol itself (marks, tombstones, SCAN for run-time patterns, the backplane,
/// the replay queue) is owned by <c>Invalidation/InvalidationCoordinator</c>; see <c>Invalidation/readme.md</c>.
/// </summary>
public sealed partial class MultiLayerCache
{
    /// <summary>The number of invalidations waiting for Redis to come back (de-duplicated and bounded).</summary>
    public int PendingInvalidations => _invalidation.PendingCount;

    /// <inheritdoc />
    public async ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        Interlocked.Increment(ref _invalidations);
        await _invalidation.RemoveKeyAsync(key, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<long> InvalidatePatternAsync(string pattern, CancellationToken cancellationToken = default)
    {
        if (!CacheKey.IsValidPattern(pattern, out var reason))
        {
            throw new ArgumentException($"Invalid cache pattern '{pattern}': {reason}", nameof(pattern));
        }

        Interlocked.Increment(ref _invalidations);
        return _invalidation.InvalidatePatternAsync(pattern, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<long> RemoveByTagAsync(string tag, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        Interlocked.Increment(ref _invalidations);
        return _invalidation.RemoveTagAsync(tag, cancellationToken);
    }
}
