using StackExchange.Redis;

namespace Caching.Internal;

/// <summary>
/// The distributed load lock: one key per cached key, set with NX and a lease, in the value's hash slot so that the
/// holder's store can check in one script that it still holds the lock (the fence: a holder that stalled past its
/// lease and wakes up cannot overwrite what the next holder stored). The lease keeps a dead holder from blocking the key.
/// </summary>
internal sealed partial class RedisLayer
{
    // Deletes the lock only if this holder still owns it: after the lease ran out another node may hold it. Plain
    // KEYS/ARGV, not LuaScript's named parameters: those are mapped by reflection over an anonymous object, which
    // the trimmer and the AOT compiler reject (samples/AotConsumer).
    private const string ReleaseScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

    /// <summary>
    /// <c>{prefix}:__lock:</c> + the key, hashed like the value key: by the value key's own hash tag when it has one
    /// (the tag is in the lock key too), else by the whole value key, made the lock key's tag.
    /// </summary>
    public RedisKey LockKey(string key)
    {
        var full = _keyPrefix + key;
        return HasHashTag(full) ? _keyPrefix + "__lock:" + key : _keyPrefix + "__lock:{" + full + "}";
    }

    private static bool HasHashTag(string key)
    {
        var open = key.IndexOf('{', StringComparison.Ordinal);
        if (open < 0)
        {
            return false;
        }

        var close = key.IndexOf('}', open + 1);
        return close > open + 1;
    }

    /// <summary>A key whose value and lock cannot share a slot (a '}' without a hash tag, on a cluster) is loaded without the lock.</summary>
    private bool CanLock(IConnectionMultiplexer connection, string key) =>
        !IsCluster || connection.HashSlot(FullKey(key)) == connection.HashSlot(LockKey(key));

    public async ValueTask<LockAttempt> TryLockAsync(string key, string token, TimeSpan lease)
    {
        if (!_breaker.TryEnter())
        {
            return LockAttempt.Unavailable;
        }

        try
        {
            var connection = await ConnectionAsync().ConfigureAwait(false);
            if (connection is null)
            {
                Failed("SET NX", key, null);
                return LockAttempt.Unavailable;
            }

            if (!CanLock(connection, key))
            {
                return LockAttempt.Unavailable;
            }

            var acquired = await connection.GetDatabase().StringSetAsync(LockKey(key), token, lease, When.NotExists).WaitAsync(_timeout).ConfigureAwait(false);
            Succeeded();
            return acquired ? LockAttempt.Acquired : LockAttempt.Held;
        }
        catch (Exception exception) when (IsRedisFailure(exception))
        {
            Failed("SET NX", key, exception);
            return LockAttempt.Unavailable;
        }
    }

    /// <summary>Whether another holder still has the key's lock; null when Redis could not be asked.</summary>
    public async ValueTask<bool?> IsLockedAsync(string key)
    {
        if (!_breaker.TryEnter())
        {
            return null;
        }

        try
        {
            var connection = await ConnectionAsync().ConfigureAwait(false);
            if (connection is null)
            {
                Failed("EXISTS", key, null);
                return null;
            }

            var locked = await connection.GetDatabase().KeyExistsAsync(LockKey(key)).WaitAsync(_timeout).ConfigureAwait(false);
            Succeeded();
            return locked;
        }
        catch (Exception exception) when (IsRedisFailure(exception))
        {
            Failed("EXISTS", key, exception);
            return null;
        }
    }

    /// <summary>Releases the lock if this holder still owns it. A failure is harmless: the lease ends it.</summary>
    public async ValueTask ReleaseLockAsync(string key, string token)
    {
        try
        {
            var connection = await ConnectionAsync().ConfigureAwait(false);
            if (connection is not null)
            {
                await connection.GetDatabase().ScriptEvaluateAsync(ReleaseScript, [LockKey(key)], [(RedisValue)token]).WaitAsync(_timeout).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (IsRedisFailure(exception))
        {
            // The lease expires on its own; the other nodes wait at most that long.
        }
    }
}

/// <summary>What an attempt to take a distributed load lock found.</summary>
internal enum LockAttempt
{
    Acquired,
    Held,
    Unavailable,
}
