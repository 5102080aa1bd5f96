using Caching.Internal;

namespace Caching;

/// <summary>The miss path: single-flight per key, Redis, the source, fail-safe, and the guarded writes.</summary>
public sealed partial class MultiLayerCache
{
    private async ValueTask<T> GetOrSetSlowAsync<TState, T>(string key, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, CacheEntryOptions options, CancellationToken cancellationToken)
    {
        var start = Timestamp();
        var effective = Resolve<T>(options);
        using var activity = CacheActivity.Source.StartActivity("cache.get_or_set");
        activity?.SetTag("cache.key", key);
        var (flight, leader) = JoinFlight<T>(key);
        Outcome<T> outcome;
        if (flight is null)
        {
            outcome = await LoadAsync(key, state, factory, null, effective, synchronous: false).ConfigureAwait(false);
        }
        else
        {
            var run = leader ? RunFlightAsync(flight, key, state, factory, null, effective, synchronous: false) : null;
            if (run is not null && !cancellationToken.CanBeCanceled)
            {
                // A leader that cannot be cancelled follows its load inline: no hop through the completion source,
                // which runs continuations on the thread pool for the followers' sake.
                await run.ConfigureAwait(false);
            }

            // The caller's token ends only this caller's wait; the load goes on for everybody else.
            outcome = await flight.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        activity?.SetTag("cache.tier", outcome.Tier.ToString());
        Count(outcome.Tier, start, "get_or_set");
        return HandOut(outcome, effective, leader || flight is null);
    }

    private T GetOrSetSlow<TState, T>(string key, TState state, Func<TState, T> factory, CacheEntryOptions options)
    {
        var start = Timestamp();
        var effective = Resolve<T>(options);
        var (flight, leader) = JoinFlight<T>(key);
        Outcome<T> outcome;
        if (flight is null)
        {
            var load = LoadAsync<TState, T>(key, state, null, factory, effective, synchronous: true);
            outcome = load.IsCompleted ? load.Result : load.AsTask().GetAwaiter().GetResult();
        }
        else
        {
            if (leader)
            {
                // Runs to completion on this thread: in synchronous mode nothing inside awaits anything incomplete.
                _ = RunFlightAsync<TState, T>(flight, key, state, null, factory, effective, synchronous: true);
            }

            // A follower blocks on a load that never needs this thread (the runtime never captures a context).
            outcome = flight.Task.GetAwaiter().GetResult();
        }

        Count(outcome.Tier, start, "get_or_set");
        return HandOut(outcome, effective, leader || flight is null);
    }

    private async ValueTask<CacheResult<T>> GetSlowAsync<T>(string key, CacheEntryOptions options, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var start = Timestamp();
        var effective = Resolve<T>(options);
        var epoch = _invalidationLog.CurrentEpoch;
        if (_redis is not null && !effective.SkipRedis && IsRedisTrusted)
        {
            var read = await _redis.GetAsync(key, synchronous: false).ConfigureAwait(false);
            if (read.Status == RedisReadStatus.Hit && TryDecode(key, read.Bytes!, effective, out T value, out var header)
                && header.LogicalExpiryUnixMs > _time.GetUtcNow().ToUnixTimeMilliseconds())
            {
                FillLocalFromRedis(key, value, read.Bytes!, header, effective, epoch);
                Count(CacheTier.Redis, start, "get");
                return new CacheResult<T>(true, value, CacheTier.Redis);
            }
        }

        Count(CacheTier.None, start, "get");
        return new CacheResult<T>(false, default, CacheTier.None);
    }

    private (Flight<T>? Flight, bool Leader) JoinFlight<T>(string key)
    {
        if (_flights.TryGetValue(key, out var existing))
        {
            return existing is Flight<T> running ? (running, false) : (null, false);
        }

        var mine = new Flight<T>();
        var actual = _flights.GetOrAdd(key, mine);
        if (ReferenceEquals(actual, mine))
        {
            return (mine, true);
        }

        // Another caller won the race; a caller asking the same key for another type loads on its own.
        return actual is Flight<T> other ? (other, false) : (null, false);
    }

    private async Task RunFlightAsync<TState, T>(Flight<T> flight, string key, TState state, Func<TState, CancellationToken, ValueTask<T>>? asyncFactory, Func<TState, T>? syncFactory, EffectiveOptions effective, bool synchronous)
    {
        // The flight leaves the table before it completes: a caller arriving later must start its own load (which
        // finds L1 filled, or runs again after an invalidation), never pick up a finished load's possibly stale result.
        Outcome<T> outcome;
        try
        {
            outcome = await LoadAsync(key, state, asyncFactory, syncFactory, effective, synchronous).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // Every waiter sees the source's exception; nothing was cached.
            _flights.TryRemove(new KeyValuePair<string, object>(key, flight));
            flight.TrySetException(exception);
            return;
        }

        _flights.TryRemove(new KeyValuePair<string, object>(key, flight));
        flight.TrySetResult(outcome);
    }

    private async ValueTask<Outcome<T>> LoadAsync<TState, T>(string key, TState state, Func<TState, CancellationToken, ValueTask<T>>? asyncFactory, Func<TState, T>? syncFactory, EffectiveOptions effective, bool synchronous)
    {
        // Captured before anything is read: an invalidation after this point voids this load's writes.
        var epoch = _invalidationLog.CurrentEpoch;
        Stale<T>? stale = null;

        // A flight that just finished may have filled L1 between this caller's miss and its joining.
        if (_local is not null && !effective.SkipLocal && _local.TryGet(key, out var entry))
        {
            if (entry!.IsFresh(Environment.TickCount64) && TryMaterialize(entry, out T fresh))
            {
                return new Outcome<T>(fresh, CacheTier.Local, entry.Envelope);
            }

            if (effective.FailSafe && TryMaterialize(entry, out T old))
            {
                stale = new Stale<T>(old, CacheTier.Local);
            }
        }

        if (_redis is not null && !effective.SkipRedis && IsRedisTrusted)
        {
            var read = await _redis.GetAsync(key, synchronous).ConfigureAwait(false);
            if (read.Status == RedisReadStatus.Hit && TryDecode(key, read.Bytes!, effective, out T value, out var header))
            {
                if (header.LogicalExpiryUnixMs > _time.GetUtcNow().ToUnixTimeMilliseconds())
                {
                    FillLocalFromRedis(key, value, read.Bytes!, header, effective, epoch);
                    return new Outcome<T>(value, CacheTier.Redis, read.Bytes);
                }

                if (effective.FailSafe)
                {
                    stale = new Stale<T>(value, CacheTier.Redis);
                }
            }
        }

        T loaded;
        try
        {
            loaded = syncFactory is not null ? syncFactory(state) : await asyncFactory!(state, _lifetime.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (stale is not null)
        {
            Log.FailSafeServed(_logger, key, stale.Value.Tier, exception);
            return new Outcome<T>(stale.Value.Value, stale.Value.Tier, null);
        }

        var envelope = await StoreAsync(key, loaded, effective, epoch, synchronous).ConfigureAwait(false);
        return new Outcome<T>(loaded, CacheTier.Source, envelope);
    }

    /// <summary>Writes a value to both tiers unless an invalidation since <paramref name="epoch"/> concerns it. Returns the envelope, or null when nothing was cached.</summary>
    private async ValueTask<byte[]?> StoreAsync<T>(string key, T value, EffectiveOptions effective, long epoch, bool synchronous)
    {
        if (value is null && !effective.CacheNull)
        {
            return null;
        }

        var writesLocal = _local is not null && !effective.SkipLocal;
        var writesRedis = _redis is not null && !effective.SkipRedis;
        if (!writesLocal && !writesRedis)
        {
            return null;
        }

        var nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        byte[] envelope;
        try
        {
            envelope = CacheEnvelope.Write(_serializer, value, TypeTagFor<T>(effective.SchemaTag), nowMs, nowMs + (long)effective.RedisTtl.TotalMilliseconds, effective.Tags);
        }
        catch (Exception exception) when (exception is NotSupportedException or InvalidOperationException or ArgumentException or System.Text.Json.JsonException)
        {
            Log.BadPayload(_logger, key, "the value could not be serialized, so it is returned without caching", exception);
            return null;
        }

        var payloadLength = envelope.Length - CacheEnvelope.PayloadOffset(envelope);
        if (payloadLength > _options.MaxValueBytes)
        {
            Log.ValueTooLarge(_logger, key, payloadLength, _options.MaxValueBytes);
            return null;
        }

        if (_invalidationLog.InvalidatedSince(epoch, key, effective.Tags))
        {
            Log.StaleSetPrevented(_logger, key);
            return null;
        }

        if (writesLocal)
        {
            WriteLocal(key, value, envelope, effective, effective.LocalTtl);
        }

        if (writesRedis)
        {
            var physical = effective.FailSafe ? effective.RedisTtl + effective.FailSafeMaxDuration : effective.RedisTtl;
            if (await _redis!.SetAsync(key, envelope, physical, effective.Tags, synchronous).ConfigureAwait(false))
            {
                _recentWrites.Add(key, effective.Tags);
            }
        }

        // An invalidation that arrived while we were writing: undo, it must win.
        if (_invalidationLog.InvalidatedSince(epoch, key, effective.Tags))
        {
            _local?.Remove(key);
            if (writesRedis)
            {
                if (synchronous)
                {
                    _ = _redis!.DeleteAsync([key]).AsTask();
                }
                else
                {
                    await _redis!.DeleteAsync([key]).ConfigureAwait(false);
                }
            }

            return null;
        }

        return envelope;
    }

    private void FillLocalFromRedis<T>(string key, T value, byte[] envelope, EnvelopeHeader header, EffectiveOptions effective, long epoch)
    {
        if (_local is null || effective.SkipLocal || _invalidationLog.InvalidatedSince(epoch, key, header.Tags ?? effective.Tags))
        {
            return;
        }

        // L1 never outlives the Redis entry's own logical expiry, and keeps the tags the writer stored.
        var remaining = TimeSpan.FromMilliseconds(header.LogicalExpiryUnixMs - _time.GetUtcNow().ToUnixTimeMilliseconds());
        var withTags = header.Tags is null ? effective : effective with { Tags = header.Tags };
        WriteLocal(key, value, envelope, withTags, remaining < effective.LocalTtl ? remaining : effective.LocalTtl);
    }

    private void WriteLocal<T>(string key, T value, byte[] envelope, EffectiveOptions effective, TimeSpan freshFor)
    {
        if (freshFor <= TimeSpan.Zero)
        {
            return;
        }

        var logicalExpiry = Environment.TickCount64 + (long)freshFor.TotalMilliseconds;
        var physical = effective.FailSafe ? freshFor + effective.FailSafeMaxDuration : freshFor;
        var tags = effective.Tags is { Count: > 0 } list ? [.. list] : (string[]?)null;
        var entry = effective.Share
            ? new LocalEntry(value, null, value is null, tags, logicalExpiry)
            : new LocalEntry(null, envelope, value is null, tags, logicalExpiry);
        _local!.Set(key, entry, envelope.Length, physical);
    }

    /// <summary>The leader gets the instance the source produced; followers of a copy-on-read entry get their own copy.</summary>
    private T HandOut<T>(Outcome<T> outcome, EffectiveOptions effective, bool ownsValue)
    {
        if (ownsValue || effective.Share || outcome.Envelope is null || outcome.Value is null)
        {
            return outcome.Value;
        }

        return _serializer.Deserialize<T>(outcome.Envelope.AsSpan(CacheEnvelope.PayloadOffset(outcome.Envelope)));
    }

    private sealed class Flight<T>() : TaskCompletionSource<Outcome<T>>(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly record struct Outcome<T>(T Value, CacheTier Tier, byte[]? Envelope);

    private readonly record struct Stale<T>(T Value, CacheTier Tier);
}
