using System.Collections.Concurrent;
using Caching.Internal;

namespace Caching;

/// <summary>
/// Invalidation on every tier and every node: L1 here at once, Redis (SCAN/UNLINK, tag sets), then the backplane
/// message that evicts other nodes' L1. What cannot reach Redis is queued, and Redis reads pause until the queue
/// has been replayed, so a node never reads a value from Redis that an invalidation was meant to remove.
/// </summary>
public sealed partial class MultiLayerCache
{
    private static readonly TimeSpan ReplayInterval = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentQueue<Invalidation> _pending = new();
    private readonly SemaphoreSlim _replayGate = new(1, 1);
    private readonly ITimer _replayTimer;

    /// <summary>Redis can be read only when no invalidation is waiting to be replayed on it.</summary>
    private bool IsRedisTrusted => _pending.IsEmpty;

    /// <summary>The number of invalidations waiting for Redis to come back.</summary>
    public int PendingInvalidations => _pending.Count;

    /// <inheritdoc />
    public async ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await InvalidateAsync(new Invalidation(InvalidationKind.Key, key), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<long> InvalidatePatternAsync(string pattern, CancellationToken cancellationToken = default)
    {
        if (!CacheKey.IsValidPattern(pattern, out var reason))
        {
            throw new ArgumentException($"Invalid cache pattern '{pattern}': {reason}", nameof(pattern));
        }

        // A pattern without wildcards names one key: no SCAN needed.
        var kind = GlobPattern.HasWildcard(pattern) ? InvalidationKind.Pattern : InvalidationKind.Key;
        return InvalidateAsync(new Invalidation(kind, pattern), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<long> RemoveByTagAsync(string tag, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        return InvalidateAsync(new Invalidation(InvalidationKind.Tag, tag), cancellationToken);
    }

    private async ValueTask<long> InvalidateAsync(Invalidation invalidation, CancellationToken cancellationToken)
    {
        using var activity = CacheActivity.Source.StartActivity("cache.invalidate");
        activity?.SetTag("cache.invalidation", invalidation.Kind.ToString());
        activity?.SetTag("cache.target", invalidation.Text);
        _invalidationLog.Record(invalidation);
        var localRemoved = ApplyLocally(invalidation);
        Interlocked.Increment(ref _invalidations);
        _metrics.Invalidation(invalidation.Kind);
        if (_redis is null)
        {
            return localRemoved;
        }

        // Keep order: an invalidation queued earlier must reach Redis before this one.
        if (!_pending.IsEmpty)
        {
            await ReplayPendingAsync().ConfigureAwait(false);
        }

        if (!_pending.IsEmpty)
        {
            Queue(invalidation);
            return 0;
        }

        var removed = await ApplyOnRedisAsync(invalidation, cancellationToken).ConfigureAwait(false);
        if (removed is null)
        {
            Queue(invalidation);
            return 0;
        }

        return removed.Value;
    }

    /// <summary>Removes from Redis and tells the other nodes. Null when Redis could not be reached.</summary>
    private async ValueTask<long?> ApplyOnRedisAsync(Invalidation invalidation, CancellationToken cancellationToken)
    {
        var removed = invalidation.Kind switch
        {
            InvalidationKind.Key => await _redis!.DeleteAsync([invalidation.Text]).ConfigureAwait(false),
            InvalidationKind.Pattern => await _redis!.DeletePatternAsync(invalidation.Text, cancellationToken).ConfigureAwait(false),
            InvalidationKind.Tag => await _redis!.DeleteTagAsync(invalidation.Text, cancellationToken).ConfigureAwait(false),
            _ => 0,
        };
        if (removed is null)
        {
            return null;
        }

        if (!await _redis!.PublishAsync(invalidation.ToMessage(_instanceId)).ConfigureAwait(false))
        {
            return null;
        }

        return removed;
    }

    private void Queue(Invalidation invalidation)
    {
        _pending.Enqueue(invalidation);
        Log.InvalidationQueued(_logger, (char)invalidation.Kind, invalidation.Text);
    }

    private int ApplyLocally(Invalidation invalidation)
    {
        if (_local is null)
        {
            return 0;
        }

        switch (invalidation.Kind)
        {
            case InvalidationKind.Key:
                _local.Remove(invalidation.Text);
                return 1;
            case InvalidationKind.Pattern:
                return _local.RemoveMatching(invalidation.Text);
            case InvalidationKind.Tag:
                return _local.RemoveTagged(invalidation.Text);
            default:
                var count = _local.Count;
                _local.Clear();
                return count;
        }
    }

    private void OnBackplaneMessage(string message)
    {
        if (!Invalidation.TryParseMessage(message, out var sender, out var invalidation) || sender == _instanceId)
        {
            return;
        }

        _invalidationLog.Record(invalidation);
        ApplyLocally(invalidation);

        // Our own loads may have written the old value to Redis after the sender's UNLINK: delete them again.
        var written = _recentWrites.Matching(invalidation);
        if (written.Count > 0 && _redis is not null)
        {
            _ = _redis.DeleteAsync(written).AsTask();
        }
    }

    private void OnBackplaneRestored()
    {
        // While the subscription was down this node may have missed invalidations: drop L1 rather than serve them.
        var clear = new Invalidation(InvalidationKind.Clear, string.Empty);
        _invalidationLog.Record(clear);
        ApplyLocally(clear);
        Log.BackplaneReconnected(_logger);
    }

    private void ReplayPendingInBackground()
    {
        if (!_pending.IsEmpty && !_lifetime.IsCancellationRequested)
        {
            _ = ReplayPendingAsync().AsTask();
        }
    }

    private async ValueTask ReplayPendingAsync()
    {
        if (_redis is null || !await _replayGate.WaitAsync(0).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            var replayed = 0;
            while (_pending.TryPeek(out var invalidation))
            {
                if (await ApplyOnRedisAsync(invalidation, _lifetime.Token).ConfigureAwait(false) is null)
                {
                    return;
                }

                _pending.TryDequeue(out _);
                replayed++;
            }

            if (replayed > 0)
            {
                Log.InvalidationsReplayed(_logger, replayed);
            }
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            _replayGate.Release();
        }
    }
}
