using System.Runtime.CompilerServices;
using Caching.Internal;
using Caching.Invalidation;

namespace Caching;

/// <summary>The miss path: single-flight per key, Redis, the source, fail-safe, and the guarded writes.</summary>
public sealed partial class MultiLayerCache
{
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<T> GetOrSetSlowAsync<TState, T>(string key, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, CacheEntryOptions options, CancellationToken cancellationToken)
    {
        var start = Timestamp();
        var effective = Resolve<T>(options);
        await WhenClockFollowsRedisAsync(cancellationToken).ConfigureAwait(false);
        using var activity = CacheActivity.Source.StartActivity("cache.get_or_set");
        if (activity is not null && _options.TraceKeys)
        {
            activity.SetTag("cache.key", key);
        }

        var (flight, leader) = JoinFlight<T>(key, effective);
        Outcome<T> outcome;
        if (flight is null)
        {
            outcome = await LoadAsync(key, state, factory, null, effective, _invalidation.BeginLoad(), synchronous: false).ConfigureAwait(false);
        }
        else if (leader && !cancellationToken.CanBeCanceled)
        {
            // A leader that cannot be cancelled runs the load in this method: no second state machine for the flight
            // and no hop through the completion source, which runs continuations on the thread pool for the followers.
            try
            {
                outcome = await LoadAsync(key, state, factory, null, effective, flight.Ticket, synchronous: false).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                FailFlight(flight, key, exception);
                throw;
            }

            CompleteFlight(flight, key, outcome, effective);
        }
        else
        {
            if (leader)
            {
                _ = RunFlightAsync(flight, key, state, factory, null, effective, synchronous: false);
            }

            // The caller's token ends only this caller's wait; the load goes on for everybody else.
            outcome = await flight.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        activity?.SetTag("cache.tier", outcome.Tier.ToString());
        Count(outcome.Tier, start, "get_or_set");
        if (state is ITierObserver observer)
        {
            observer.Served(outcome.Tier);
        }

        return HandOut(outcome, effective, leader || flight is null);
    }

    private T GetOrSetSlow<TState, T>(string key, TState state, Func<TState, T> factory, CacheEntryOptions options)
    {
        var start = Timestamp();
        var effective = Resolve<T>(options);
        var (flight, leader) = JoinFlight<T>(key, effective);
        Outcome<T> outcome;
        if (flight is null)
        {
            var load = LoadAsync<TState, T>(key, state, null, factory, effective, _invalidation.BeginLoad(), synchronous: true);
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

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<CacheResult<T>> GetSlowAsync<T>(string key, CacheEntryOptions options, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var start = Timestamp();
        var effective = Resolve<T>(options);
        if (_redis is not null && !effective.SkipRedisRead)
        {
            var read = await ReadRedisAsync<T>(key, effective, synchronous: false).ConfigureAwait(false);
            if (read.Found && read.Fresh)
            {
                Count(CacheTier.Redis, start, "get");
                return new CacheResult<T>(true, read.Value, CacheTier.Redis);
            }
        }

        Count(CacheTier.None, start, "get");
        return new CacheResult<T>(false, default, CacheTier.None);
    }

    /// <summary>
    /// Joins the load of this key in flight, or starts one. A load that an invalidation has overtaken since it began
    /// is not joined: its result is what the invalidation was meant to remove, so a caller arriving now starts a new
    /// load that takes the old one's place in the table.
    /// </summary>
    private (Flight<T>? Flight, bool Leader) JoinFlight<T>(string key, EffectiveOptions effective)
    {
        while (true)
        {
            if (_flights.TryGetValue(key, out var existing))
            {
                if (existing is not Flight<T> running)
                {
                    // A caller asking the same key for another type loads on its own.
                    return (null, false);
                }

                if (_invalidation.MayStore(key, running.Ticket, effective.TagScopes))
                {
                    return (running, false);
                }

                var successor = new Flight<T>(_invalidation.BeginLoad());
                if (_flights.TryUpdate(key, successor, existing))
                {
                    return (successor, true);
                }

                continue;
            }

            var mine = new Flight<T>(_invalidation.BeginLoad());
            if (_flights.TryAdd(key, mine))
            {
                return (mine, true);
            }
        }
    }

    private async Task RunFlightAsync<TState, T>(Flight<T> flight, string key, TState state, Func<TState, CancellationToken, ValueTask<T>>? asyncFactory, Func<TState, T>? syncFactory, EffectiveOptions effective, bool synchronous, long refreshAfter = 0)
    {
        Outcome<T> outcome;
        try
        {
            outcome = await LoadAsync(key, state, asyncFactory, syncFactory, effective, flight.Ticket, synchronous, refreshAfter).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            FailFlight(flight, key, exception);
            return;
        }

        CompleteFlight(flight, key, outcome, effective);
    }

    // Every waiter sees the source's exception; nothing was cached. As in CompleteFlight, the flight leaves the table
    // before it completes: a caller arriving later must start its own load (which finds L1 filled, or runs again after
    // an invalidation), never pick up a finished load's possibly stale result.
    private void FailFlight<T>(Flight<T> flight, string key, Exception exception)
    {
        _flights.TryRemove(new KeyValuePair<string, object>(key, flight));
        flight.TrySetException(exception);
    }

    private void CompleteFlight<T>(Flight<T> flight, string key, Outcome<T> outcome, EffectiveOptions effective)
    {
        if (outcome.Background is { } background)
        {
            // A stale value went out after a factory timeout while the load goes on: callers arriving until it ends
            // join this flight and get the same stale value (unless an invalidation overtook it) instead of starting
            // loads of their own against a source that is already slow. The leader must not wait for that load.
            flight.TrySetResult(Pristine(outcome, effective));
            _ = LeaveWhenDoneAsync(key, flight, background);
            return;
        }

        _flights.TryRemove(new KeyValuePair<string, object>(key, flight));
        flight.TrySetResult(Pristine(outcome, effective));
    }

    // Followers of a copied entry copy from an instance nobody holds: the leader may change its own while they copy.
    private static Outcome<T> Pristine<T>(Outcome<T> outcome, EffectiveOptions effective) =>
        !effective.Share && outcome.Value is not null && effective.Copier is CacheValueCopier<T> copier
            ? outcome with { Pristine = copier.Copy(outcome.Value), HasPristine = true }
            : outcome;

    private async Task LeaveWhenDoneAsync(string key, object flight, Task background)
    {
        await background.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _flights.TryRemove(new KeyValuePair<string, object>(key, flight));
    }

    // The ticket was taken before anything is read: an invalidation after it is newer than whatever this load finds.
    // An eager refresh passes the stamp of the entry it replaces: only a newer entry in Redis saves it the source.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Outcome<T>> LoadAsync<TState, T>(string key, TState state, Func<TState, CancellationToken, ValueTask<T>>? asyncFactory, Func<TState, T>? syncFactory, EffectiveOptions effective, LoadTicket ticket, bool synchronous, long refreshAfter = 0)
    {
        Stale<T>? stale = null;

        // A flight that just finished may have filled L1 between this caller's miss and its joining.
        if (refreshAfter == 0 && _local is not null && !effective.SkipLocalRead && _local.TryGet(key, out var entry) && _invalidation.IsUsable(key, entry!))
        {
            if (entry!.IsFresh(Environment.TickCount64) && TryMaterialize(entry, out T fresh))
            {
                return new Outcome<T>(fresh, CacheTier.Local, entry.Envelope);
            }

            if (effective.FailSafe && TryMaterialize(entry, out T old))
            {
                stale = new Stale<T>(old, CacheTier.Local, entry.Envelope);
            }
        }

        if (_redis is not null && !effective.SkipRedisRead)
        {
            var read = await ReadRedisAsync<T>(key, effective, synchronous).ConfigureAwait(false);
            if (read.Found && read.Fresh && read.Stamp > refreshAfter)
            {
                return new Outcome<T>(read.Value, CacheTier.Redis, read.Envelope);
            }

            if (read.Found && effective.FailSafe)
            {
                stale = new Stale<T>(read.Value, CacheTier.Redis, read.Envelope);
            }

            // One Redis timeout per call at most: a Redis that did not answer the read is not asked to store either.
            if (read.Unavailable)
            {
                effective = effective with { SkipRedis = true };
            }
        }

        if (effective.Guarded)
        {
            return await LoadGuardedAsync(key, state, asyncFactory, syncFactory, effective, ticket, stale, synchronous, refreshAfter).ConfigureAwait(false);
        }

        T loaded;
        try
        {
            loaded = syncFactory is not null ? syncFactory(state) : await asyncFactory!(state, _lifetime.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (stale is not null)
        {
            return ServeStale(key, stale.Value, exception);
        }

        var stored = await StoreAsync(key, loaded, effective, ticket, synchronous).ConfigureAwait(false);
        return new Outcome<T>(loaded, CacheTier.Source, stored.Envelope);
    }

    private Outcome<T> ServeStale<T>(string key, Stale<T> stale, Exception exception)
    {
        Log.FailSafeServed(_logger, _logEpisodes, typeof(T), key, stale.Tier, exception);
        return stale.Served();
    }

    /// <summary>
    /// Reads a key from Redis and checks it with the invalidation coordinator; a usable entry fills L1. Found: the
    /// entry is valid (not invalidated), Fresh: and within its logical expiry (else only fail-safe may use it).
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<RedisEntry<T>> ReadRedisAsync<T>(string key, EffectiveOptions effective, bool synchronous)
    {
        var read = await _redis!.GetAsync(key, synchronous).ConfigureAwait(false);
        if (read.Status == RedisReadStatus.Unavailable)
        {
            return new RedisEntry<T>(false, false, default!, null, Unavailable: true);
        }

        if (read.Status != RedisReadStatus.Hit || !TryDecode(key, read.Bytes!, effective, out T value, out var header))
        {
            return default;
        }

        var epoch = _knowledge.Epoch;
        var tagScopes = CacheEnvelope.TagScopes(read.Bytes);
        var scopes = tagScopes.IsEmpty ? null : tagScopes.ToArray();
        if (!await _invalidation.MayUseFromRedisAsync(key, header.Stamp, scopes, synchronous).ConfigureAwait(false))
        {
            return default;
        }

        var fresh = header.LogicalExpiryUs > _invalidation.Clock.Low();
        if (fresh)
        {
            FillLocalFromRedis(key, value, read.Bytes!, header, scopes, effective, epoch);
        }

        return new RedisEntry<T>(true, fresh, value, read.Bytes, Stamp: header.Stamp);
    }

    /// <summary>
    /// Writes a value to both tiers unless an invalidation since <paramref name="ticket"/> concerns it. In Redis the
    /// write is conditional: a newer value or a later removal's tombstone already there wins.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Stored> StoreAsync<T>(string key, T value, EffectiveOptions effective, LoadTicket ticket, bool synchronous, string? lockToken = null)
    {
        if (value is null && !effective.CacheNull)
        {
            return default;
        }

        var writesLocal = _local is not null && !effective.SkipLocal;
        var writesRedis = _redis is not null && !effective.SkipRedis;
        if (!writesLocal && !writesRedis)
        {
            return default;
        }

        var nowUs = _invalidation.Clock.Low();
        if (effective.Jitter > TimeSpan.Zero)
        {
            // One draw per store for both tiers: entries loaded in the same second spread their expiries.
            var extra = TimeSpan.FromTicks(Random.Shared.NextInt64(effective.Jitter.Ticks + 1));
            effective = effective with { LocalTtl = effective.LocalTtl + extra, RedisTtl = effective.RedisTtl + extra };
        }

        var type = TypeEntryFor<T>(effective.SchemaTag);
        byte[]? envelope = null;
        long size;
        try
        {
            if (writesRedis || (!effective.Share && !effective.CopiesValue))
            {
                envelope = CacheEnvelope.Write(_serializer, value, type.Tag, ticket.Stamp, nowUs + (long)effective.RedisTtl.TotalMicroseconds, effective.TagScopes);
                size = envelope.Length;
            }
            else if (value is null)
            {
                size = CacheEnvelope.HeaderLength + ((effective.TagScopes?.Length ?? 0) * 8);
            }
            else if (effective.MaxValueBytes != _options.MaxValueBytes || !type.Size.TryEstimate(ticket.Stamp, out size))
            {
                // A shared value only L1 keeps: its bytes would feed nothing but the size budget, so they are measured in
                // pooled memory for a sample of stores and estimated for the others (SizeEstimate).
                size = CacheEnvelope.Measure(_serializer, value, effective.TagScopes?.Length ?? 0);
                type.Size.Record(size);
            }
        }
        catch (Exception exception) when (exception is NotSupportedException or InvalidOperationException or ArgumentException or System.Text.Json.JsonException)
        {
            Log.BadPayload(_logger, _logEpisodes, key, "the value could not be serialized, so it is returned without caching", exception);
            return default;
        }

        var payloadLength = size - (envelope is null ? CacheEnvelope.HeaderLength + ((effective.TagScopes?.Length ?? 0) * 8) : CacheEnvelope.PayloadOffset(envelope));
        if (payloadLength > effective.MaxValueBytes)
        {
            Log.ValueTooLarge(_logger, _logEpisodes, typeof(T), key, payloadLength, effective.MaxValueBytes);
            return default;
        }

        // One check of the invalidations this load crossed: under the key's lock when L1 takes the value, else here.
        var epoch = _knowledge.Epoch;
        var local = false;
        if (writesLocal)
        {
            var written = WriteLocal(key, value, envelope, size, effective.TagScopes, ticket, effective, effective.LocalTtl, epoch, fill: false);
            if (written == LocalWrite.Forbidden)
            {
                Log.StaleSetPrevented(_logger, key);
                return new Stored(false, null, false, RedisStatus.Refused);
            }

            local = written == LocalWrite.Stored;
        }
        else if (!_invalidation.MayStore(key, ticket, effective.TagScopes))
        {
            Log.StaleSetPrevented(_logger, key);
            return new Stored(false, null, false, RedisStatus.Refused);
        }

        var redis = RedisStatus.Unavailable;
        if (writesRedis)
        {
            // The entry's physical life counts from the load's start, so it never outlives an invalidation's mark.
            var physical = effective.FailSafe ? effective.RedisTtl + effective.FailSafeMaxDuration : effective.RedisTtl;
            var remainingMs = (long)Math.Min(physical.TotalMilliseconds, _options.MaxEntryLifetime.TotalMilliseconds) - ((nowUs - ticket.Stamp) / 1000);
            redis = await _redis!.StoreAsync(key, envelope!, ticket.Stamp, remainingMs, synchronous, lockToken).ConfigureAwait(false);
        }

        return new Stored(true, envelope, local, redis);
    }

    private void FillLocalFromRedis<T>(string key, T value, byte[] envelope, EnvelopeHeader header, ulong[]? tagScopes, EffectiveOptions effective, long epoch)
    {
        if (_local is null || effective.SkipLocal)
        {
            return;
        }

        // L1 never outlives the Redis entry's own logical expiry.
        var remaining = TimeSpan.FromMicroseconds(header.LogicalExpiryUs - _invalidation.Clock.Low());
        var ticket = new LoadTicket(header.Stamp, _invalidation.Clock.Era);
        WriteLocal(key, value, envelope, envelope.Length, tagScopes, ticket, effective, remaining < effective.LocalTtl ? remaining : effective.LocalTtl, epoch, fill: true);
    }

    /// <summary>
    /// Puts an entry in L1 under the key's lock, unless a newer one is there or a removal since the load began
    /// forbids it. The entry starts validated at <paramref name="epoch"/>, read before its checks: an invalidation
    /// that lands in between makes its first hit check it again.
    /// </summary>
    private LocalWrite WriteLocal<T>(string key, T value, byte[]? envelope, long size, ulong[]? tagScopes, LoadTicket ticket, EffectiveOptions effective, TimeSpan freshFor, long epoch, bool fill)
    {
        var now = Environment.TickCount64;
        var freshMs = (long)Math.Max(0, freshFor.TotalMilliseconds);
        var logicalExpiry = now + freshMs;
        var refreshTick = effective.EagerRefresh > 0 ? now + (long)(freshMs * effective.EagerRefresh) : long.MaxValue;
        var physical = effective.FailSafe ? freshFor + effective.FailSafeMaxDuration : freshFor;
        // A copied value is copied on the way in too: the caller that produced (or read) it keeps that instance.
        var entry = effective.Share
            ? new LocalEntry(value, null, value is null, tagScopes, ticket.Stamp, logicalExpiry, refreshTick)
            : effective.Copier is CacheValueCopier<T> copier
                ? new CopiedLocalEntry(value is null ? default : copier.Copy(value), value is null, tagScopes, ticket.Stamp, logicalExpiry, refreshTick, copier)
                : new LocalEntry(null, envelope, value is null, tagScopes, ticket.Stamp, logicalExpiry, refreshTick);
        entry.ValidatedEpoch = epoch;
        return _local!.SetIfNewer(key, entry, size, physical, (this, key, ticket, tagScopes, fill), static s => s.fill
            ? s.Item1._invalidation.MayFill(s.key, s.ticket, s.tagScopes)
            : s.Item1._invalidation.MayStore(s.key, s.ticket, s.tagScopes));
    }

    /// <summary>The leader gets the instance the source produced; followers of a copy-on-read entry get their own copy.</summary>
    private T HandOut<T>(Outcome<T> outcome, EffectiveOptions effective, bool ownsValue)
    {
        if (ownsValue || effective.Share || outcome.Value is null)
        {
            return outcome.Value;
        }

        if (effective.Copier is CacheValueCopier<T> copier)
        {
            return copier.Copy(outcome.HasPristine ? outcome.Pristine : outcome.Value);
        }

        if (outcome.Envelope is null)
        {
            return outcome.Value;
        }

        return _serializer.Deserialize<T>(outcome.Envelope, CacheEnvelope.PayloadOffset(outcome.Envelope));
    }

    private sealed class Flight<T>(LoadTicket ticket) : TaskCompletionSource<Outcome<T>>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public LoadTicket Ticket { get; } = ticket;
    }

    /// <summary>
    /// A load's result. <see cref="Background"/> is set when a stale value was served after a factory timeout while
    /// the load goes on: it completes when that load has stored its value (or failed).
    /// </summary>
    private readonly record struct Outcome<T>(T Value, CacheTier Tier, byte[]? Envelope, Task? Background = null)
    {
        /// <summary>With a copier: a copy of <see cref="Value"/> made before anyone got it, for the followers to copy.</summary>
        public T Pristine { get; init; } = default!;

        public bool HasPristine { get; init; }
    }

    /// <summary>A value past its expiry that fail-safe may serve; the envelope gives followers their own copy.</summary>
    private readonly record struct Stale<T>(T Value, CacheTier Tier, byte[]? Envelope)
    {
        public Outcome<T> Served(Task? background = null) => new(Value, Tier, Envelope, background);
    }

    /// <summary>
    /// What a store did: whether the value was accepted for caching, the envelope it wrote (null when only L1 took a
    /// shared value, which needs no bytes), whether L1 took it, and Redis's answer.
    /// </summary>
    private readonly record struct Stored(bool Cached, byte[]? Envelope, bool Local, RedisStatus Redis);

    private readonly record struct RedisEntry<T>(bool Found, bool Fresh, T Value, byte[]? Envelope, bool Unavailable = false, long Stamp = 0);
}
