using System.Runtime.CompilerServices;
using Caching.Internal;
using Caching.Invalidation;

namespace Caching;

/// <summary>
/// Loads with factory timeouts and the distributed load lock (the "guarded" path: taken only when an entry asks for
/// one of them, so the plain miss path pays nothing for it).
/// <para>
/// Timeouts: a caller with a stale value waits <c>FactorySoftTimeout</c>, any caller <c>FactoryHardTimeout</c>;
/// then it gets the stale value (or <see cref="CacheFactoryTimeoutException"/>) and the load goes on in the
/// background, storing its value when it ends, like any other load (so a removal in between still forbids the store).
/// </para>
/// <para>
/// The lock: before the source runs, the node takes <c>{prefix}:__lock:{key}</c> with SET NX and a lease; the other
/// nodes poll Redis for the holder's value, and take the lock when it is gone. A holder that dies frees the key when
/// its lease ends; a waiter gives up after two leases and loads without the lock. A holder that stalls past its lease
/// and wakes up is fenced: its store checks, in the same script, that the lock is still its own (RedisLayer.Lock.cs).
/// Redis unreachable: the load runs without the lock.
/// </para>
/// </summary>
public sealed partial class MultiLayerCache
{
    private static readonly TimeSpan FirstLockPoll = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestLockPoll = TimeSpan.FromMilliseconds(100);

    private long _lockTokens;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Outcome<T>> LoadGuardedAsync<TState, T>(string key, TState state, Func<TState, CancellationToken, ValueTask<T>>? asyncFactory, Func<TState, T>? syncFactory, EffectiveOptions effective, LoadTicket ticket, Stale<T>? stale, bool synchronous, long refreshAfter)
    {
        var started = _time.GetTimestamp();
        string? lockToken = null;
        if (effective.DistributedLock && _redis is not null && !effective.SkipRedis && !synchronous)
        {
            var wait = await AcquireOrAwaitAsync(key, effective, stale, started, refreshAfter).ConfigureAwait(false);
            if (wait.Outcome is { } settled)
            {
                return settled;
            }

            lockToken = wait.Token;

            // The fence: a stamp taken now, after the wait and just before the source is read, orders this load's
            // write after every load that read the source earlier, whichever of them began first.
            ticket = _invalidation.BeginLoad();
        }

        if (syncFactory is not null)
        {
            // A synchronous factory runs on the caller's thread, which cannot be given back early: no timeouts here.
            T loaded;
            try
            {
                loaded = syncFactory(state);
            }
            catch (Exception exception) when (stale is not null)
            {
                return ServeStale(key, stale.Value, exception);
            }

            var stored = await StoreAsync(key, loaded, effective, ticket, synchronous).ConfigureAwait(false);
            return new Outcome<T>(loaded, CacheTier.Source, stored.Envelope);
        }

        var source = LoadFromSourceAsync(key, state, asyncFactory!, effective, ticket, lockToken);
        var limit = Remaining(effective.HardTimeout, started);
        if (stale is not null && effective.SoftTimeout != Timeout.InfiniteTimeSpan)
        {
            var soft = Remaining(effective.SoftTimeout, started);
            limit = limit == Timeout.InfiniteTimeSpan || soft < limit ? soft : limit;
        }

        try
        {
            return limit == Timeout.InfiniteTimeSpan ? await source.ConfigureAwait(false) : await source.WaitAsync(limit, _time).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!source.IsCompleted)
        {
            _metrics.Error("factory_timeout");
            _ = ObserveBackgroundLoadAsync(key, source);
            if (stale is not null)
            {
                Log.FactoryTimedOutServingStale(_logger, stale.Value.Tier);
                return stale.Value.Served(source);
            }

            throw new CacheFactoryTimeoutException($"The cache's source did not answer within {effective.HardTimeout}; the load goes on in the background.") { Key = key, Timeout = effective.HardTimeout };
        }
        catch (Exception exception) when (stale is not null && source.IsFaulted)
        {
            return ServeStale(key, stale.Value, exception);
        }
    }

    private async Task<Outcome<T>> LoadFromSourceAsync<TState, T>(string key, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, EffectiveOptions effective, LoadTicket ticket, string? lockToken)
    {
        try
        {
            var loaded = await factory(state, _lifetime.Token).ConfigureAwait(false);
            var stored = await StoreAsync(key, loaded, effective, ticket, synchronous: false, lockToken).ConfigureAwait(false);
            if (lockToken is not null && stored.Redis == RedisStatus.Refused)
            {
                // Fenced: this holder outlived its lease and another node's value is in Redis; do not serve this older read here either.
                _local?.Remove(key);
            }

            return new Outcome<T>(loaded, CacheTier.Source, stored.Envelope);
        }
        finally
        {
            // After the store: a waiter that sees the lock gone finds the value, or knows the holder failed.
            if (lockToken is not null)
            {
                await _redis!.ReleaseLockAsync(key, lockToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Takes the key's lock, or waits for the holder's value. Returns the value found (or the stale value once the soft
    /// timeout passed), or the lock token to load with, or neither: load without the lock (Redis unreachable, or the
    /// holder outlived its lease).
    /// </summary>
    private async ValueTask<(Outcome<T>? Outcome, string? Token)> AcquireOrAwaitAsync<T>(string key, EffectiveOptions effective, Stale<T>? stale, long started, long refreshAfter)
    {
        var token = _instanceId + ":" + Interlocked.Increment(ref _lockTokens).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var lease = _options.DistributedLockLease;
        var poll = FirstLockPoll;
        while (true)
        {
            switch (await _redis!.TryLockAsync(key, token, lease).ConfigureAwait(false))
            {
                case LockAttempt.Acquired:
                    return (null, token);
                case LockAttempt.Unavailable:
                    return (null, null);
            }

            // Another node loads: its value arrives in Redis, or its lock goes away (it failed) and this node tries again.
            while (true)
            {
                var waited = _time.GetElapsedTime(started);
                if (stale is not null && Elapsed(waited, effective.SoftTimeout))
                {
                    Log.FactoryTimedOutServingStale(_logger, stale.Value.Tier);
                    return (stale.Value.Served(), null);
                }

                if (Elapsed(waited, effective.HardTimeout))
                {
                    if (stale is not null)
                    {
                        return (stale.Value.Served(), null);
                    }

                    throw new CacheFactoryTimeoutException($"Another node's load of this key did not finish within {effective.HardTimeout}.") { Key = key, Timeout = effective.HardTimeout };
                }

                if (waited >= lease * 2)
                {
                    // Every holder's lock ends within a lease, and this node retries as soon as one does: after two
                    // leases something holds longer than this node's lease allows (another configuration). Load without it.
                    return (null, null);
                }

                await Task.Delay(poll, _time).ConfigureAwait(false);
                poll = poll * 2 < LongestLockPoll ? poll * 2 : LongestLockPoll;
                var read = await ReadRedisAsync<T>(key, effective, synchronous: false).ConfigureAwait(false);
                if (read.Found && read.Fresh && read.Stamp > refreshAfter)
                {
                    return (new Outcome<T>(read.Value, CacheTier.Redis, read.Envelope), null);
                }

                if (read.Unavailable)
                {
                    return (null, null);
                }

                var locked = await _redis.IsLockedAsync(key).ConfigureAwait(false);
                if (locked is null)
                {
                    return (null, null);
                }

                if (locked == false)
                {
                    break;
                }
            }
        }
    }

    private static bool Elapsed(TimeSpan waited, TimeSpan timeout) => timeout != Timeout.InfiniteTimeSpan && waited >= timeout;

    private TimeSpan Remaining(TimeSpan timeout, long started)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return timeout;
        }

        var left = timeout - _time.GetElapsedTime(started);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    private async Task ObserveBackgroundLoadAsync<T>(string key, Task<Outcome<T>> load)
    {
        try
        {
            await load.ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // Nobody waits for it any more; the next caller asks the source again.
            Log.BackgroundLoadFailed(_logger, key, exception);
        }
    }

    /// <summary>
    /// Starts the background refresh of an entry a hit found past its eager-refresh point: one per entry (the hit that
    /// claims it), as a flight of the key so concurrent misses join it. A newer entry in Redis (another node refreshed)
    /// saves the source; a failure leaves the entry as it is until it expires.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void StartEagerRefresh<TState, T>(string key, TState state, Func<TState, CancellationToken, ValueTask<T>>? asyncFactory, Func<TState, T>? syncFactory, CacheEntryOptions options)
    {
        if (_local is null || !_local.TryGet(key, out var due) || !due!.TryClaimRefresh())
        {
            return;
        }

        var effective = Resolve<T>(options) with { SoftTimeout = Timeout.InfiniteTimeSpan, HardTimeout = Timeout.InfiniteTimeSpan };
        var (flight, leader) = JoinFlight<T>(key, effective);
        if (flight is null || !leader)
        {
            return;
        }

        var refreshAfter = due.Stamp;
        _ = Task.Run(async () =>
        {
            await RunFlightAsync(flight, key, state, asyncFactory, syncFactory, effective, synchronous: syncFactory is not null, refreshAfter).ConfigureAwait(false);
            if (flight.Task.IsFaulted)
            {
                Log.BackgroundLoadFailed(_logger, key, flight.Task.Exception!.InnerException!);
            }
        });
    }
}
