using System.Globalization;
using System.Runtime.CompilerServices;
using Caching.Invalidation;
using StackExchange.Redis;

namespace Caching.Internal;

/// <summary>What a write to Redis came to.</summary>
internal enum RedisStatus
{
    Done,

    /// <summary>A conditional store found a newer value or a tombstone and left it.</summary>
    Refused,

    /// <summary>Redis could not be reached or timed out: worth retrying.</summary>
    Unavailable,

    /// <summary>The server will never accept it (NOPERM, WRONGTYPE, a script error): not worth retrying.</summary>
    Rejected,
}

/// <summary>
/// The Redis side of the invalidation protocol (see Invalidation/readme.md). Every script touches one key, so it
/// runs unchanged on a cluster: stores compare stamps inside the entry's own key, removals leave a tombstone in it,
/// and a scope's mark is a key of its own.
/// </summary>
internal sealed partial class RedisLayer
{
    // Keeps whatever is there if it is ours (magic 0xCA, format 2) and stamped at or after this store: a newer value,
    // or a tombstone of a removal that came after this load began. Reads only the 16-byte head of the current value.
    private const string StoreScript = """
        local head = redis.pcall('GETRANGE', KEYS[1], 0, 15)
        if type(head) == 'string' and #head == 16 and string.byte(head, 1) == 202 and string.byte(head, 2) == 2 then
          if struct.unpack('<i8', head, 9) >= tonumber(ARGV[2]) then return 0 end
        end
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
        return 1
        """;

    // The store of a distributed-lock holder: only while it still holds the lock (KEYS[2] = its token), else a later
    // holder may have stored already. Lock and value share a hash slot (LockKey).
    private const string FencedStoreScript = "if redis.call('GET', KEYS[2]) ~= ARGV[4] then return 0 end\n" + StoreScript;

    // A removal replaces the value with a tombstone stamped with its mark, unless a value stamped after the mark is
    // already there. Returns 1 when a value was removed.
    private const string TombstoneScript = """
        local head = redis.pcall('GETRANGE', KEYS[1], 0, 15)
        local existed = 0
        if type(head) == 'string' and #head > 0 then
          existed = 1
          if #head == 16 and string.byte(head, 1) == 202 and string.byte(head, 2) == 2 then
            if struct.unpack('<i8', head, 9) > tonumber(ARGV[2]) then return 0 end
            if math.floor(string.byte(head, 3) / 2) % 2 == 1 then existed = 0 end
          end
        end
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
        return existed
        """;

    // A mark only ever rises.
    private const string MarkScript = """
        local current = tonumber(redis.call('GET', KEYS[1]) or '0')
        if tonumber(ARGV[1]) > current then
          redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
          return 1
        end
        return 0
        """;

    private const string TimeScript = "return redis.call('TIME')";

    public RedisKey MarkKey(ulong scope) => scope == Scopes.All ? AllMarkKey : _keyPrefix + "__mark:" + scope.ToString("x16", CultureInfo.InvariantCulture);

    public RedisKey AllMarkKey => _keyPrefix + "__mark:all";

    private RedisKey ClockKey => _keyPrefix + "__clock";

    /// <summary>
    /// Stores an entry unless a newer one or a later tombstone is already there, and, with a
    /// <paramref name="lockToken"/>, unless this node no longer holds the key's distributed load lock.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<RedisStatus> StoreAsync(string key, byte[] envelope, long stamp, long timeToLiveMs, bool synchronous, string? lockToken = null)
    {
        if (!_breaker.TryEnter())
        {
            return RedisStatus.Unavailable;
        }

        using var activity = CacheActivity.StartRedis("cache.redis.set", "EVALSHA", _server);
        try
        {
            var connection = synchronous ? ConnectionSync() : await ConnectionAsync().ConfigureAwait(false);
            if (connection is null)
            {
                CacheActivity.RedisFailed(activity, null);
                Failed("SET", key, null);
                return RedisStatus.Unavailable;
            }

            RedisKey[] keys = lockToken is null ? [FullKey(key)] : [FullKey(key), LockKey(key)];
            RedisValue[] values = lockToken is null ? [envelope, stamp, Math.Max(1, timeToLiveMs)] : [envelope, stamp, Math.Max(1, timeToLiveMs), lockToken];
            var script = lockToken is null ? StoreScript : FencedStoreScript;
            var database = connection.GetDatabase();
            var result = synchronous
                ? (_syncCallsBounded ? database.ScriptEvaluate(script, keys, values) : Bounded(database.ScriptEvaluateAsync(script, keys, values)))
                : await database.ScriptEvaluateAsync(script, keys, values).WaitAsync(_timeout).ConfigureAwait(false);
            Succeeded();
            activity?.SetTag("cache.stored", (long)result == 1);
            return (long)result == 1 ? RedisStatus.Done : RedisStatus.Refused;
        }
        catch (Exception exception) when (IsPermanent(exception))
        {
            CacheActivity.RedisFailed(activity, exception);
            Rejected("SET", key, exception);
            return RedisStatus.Rejected;
        }
        catch (Exception exception) when (IsRedisFailure(exception))
        {
            CacheActivity.RedisFailed(activity, exception);
            Failed("SET", key, exception);
            return RedisStatus.Unavailable;
        }
    }

    /// <summary>Replaces a key's value with a tombstone; Existed says whether a value was there.</summary>
    /// <remarks>With <paramref name="publish"/>, the backplane message goes in the same pipelined round trip, after the script (Redis runs them in order).</remarks>
    public async ValueTask<(RedisStatus Status, bool Existed)> TombstoneAsync(string key, long mark, long timeToLiveMs, string? publish = null)
    {
        if (!_breaker.TryEnter())
        {
            return (RedisStatus.Unavailable, false);
        }

        try
        {
            var connection = await ConnectionAsync().ConfigureAwait(false);
            if (connection is null)
            {
                Failed("SET", key, null);
                return (RedisStatus.Unavailable, false);
            }

            RedisKey[] keys = [FullKey(key)];
            RedisValue[] values = [CacheEnvelope.Tombstone(mark), mark, Math.Max(1, timeToLiveMs)];
            var result = await ScriptThenPublishAsync(connection, TombstoneScript, keys, values, publish).ConfigureAwait(false);
            Succeeded();
            return (RedisStatus.Done, (long)result == 1);
        }
        catch (Exception exception) when (IsPermanent(exception))
        {
            Rejected("SET", key, exception);
            return (RedisStatus.Rejected, false);
        }
        catch (Exception exception) when (IsRedisFailure(exception))
        {
            Failed("SET", key, exception);
            return (RedisStatus.Unavailable, false);
        }
    }

    /// <summary>Raises a scope's mark to <paramref name="mark"/>.</summary>
    /// <remarks>With <paramref name="publish"/>, the backplane message goes in the same pipelined round trip, after the script.</remarks>
    public async ValueTask<RedisStatus> SetMarkAsync(ulong scope, long mark, long timeToLiveMs, string? publish = null)
    {
        if (!_breaker.TryEnter())
        {
            return RedisStatus.Unavailable;
        }

        var markKey = MarkKey(scope);
        try
        {
            var connection = await ConnectionAsync().ConfigureAwait(false);
            if (connection is null)
            {
                Failed("MARK", markKey!, null);
                return RedisStatus.Unavailable;
            }

            RedisKey[] keys = [markKey];
            RedisValue[] values = [mark, Math.Max(1, timeToLiveMs)];
            await ScriptThenPublishAsync(connection, MarkScript, keys, values, publish).ConfigureAwait(false);
            Succeeded();
            return RedisStatus.Done;
        }
        catch (Exception exception) when (IsPermanent(exception))
        {
            Rejected("MARK", markKey!, exception);
            return RedisStatus.Rejected;
        }
        catch (Exception exception) when (IsRedisFailure(exception))
        {
            Failed("MARK", markKey!, exception);
            return RedisStatus.Unavailable;
        }
    }

    /// <summary>
    /// Runs a script and, when given, publishes a message in one pipelined batch on one connection, so the message
    /// can only reach the other nodes after the script's effect is in Redis, at the cost of one round trip.
    /// </summary>
    private async Task<RedisResult> ScriptThenPublishAsync(IConnectionMultiplexer connection, string script, RedisKey[] keys, RedisValue[] values, string? publish)
    {
        var database = connection.GetDatabase();
        if (publish is null)
        {
            return await database.ScriptEvaluateAsync(script, keys, values).WaitAsync(_timeout).ConfigureAwait(false);
        }

        var batch = database.CreateBatch();
        var evaluated = batch.ScriptEvaluateAsync(script, keys, values);
        var published = batch.PublishAsync(_channel, publish);
        batch.Execute();
        await Task.WhenAll(evaluated, published).WaitAsync(_timeout).ConfigureAwait(false);
        return await evaluated.ConfigureAwait(false);
    }

    /// <summary>
    /// Reads the marks of <paramref name="scopes"/> (0 for none), in one pipelined round trip (one GET per scope: on a cluster the marks live in different slots). Null when unavailable.
    /// </summary>
    public async ValueTask<long[]?> GetMarksAsync(IReadOnlyList<ulong> scopes, bool synchronous)
    {
        if (!_breaker.TryEnter())
        {
            return null;
        }

        try
        {
            var connection = synchronous ? ConnectionSync() : await ConnectionAsync().ConfigureAwait(false);
            if (connection is null)
            {
                Failed("GET", "__mark", null);
                return null;
            }

            var batch = connection.GetDatabase().CreateBatch();
            var reads = new Task<RedisValue>[scopes.Count];
            for (var i = 0; i < scopes.Count; i++)
            {
                reads[i] = batch.StringGetAsync(MarkKey(scopes[i]));
            }

            batch.Execute();
            var all = Task.WhenAll(reads);
            if (synchronous)
            {
                if (!all.Wait(_timeout))
                {
                    throw new TimeoutException("Reading invalidation marks timed out.");
                }
            }
            else
            {
                await all.WaitAsync(_timeout).ConfigureAwait(false);
            }

            var marks = new long[reads.Length];
            for (var i = 0; i < reads.Length; i++)
            {
                var value = reads[i].Result;
                marks[i] = value.IsNull ? 0 : (long)value;
            }

            Succeeded();
            return marks;
        }
        catch (AggregateException aggregate) when (aggregate.InnerException is { } inner && IsRedisFailure(inner))
        {
            Failed("GET", "__mark", inner);
            return null;
        }
        catch (Exception exception) when (IsRedisFailure(exception))
        {
            Failed("GET", "__mark", exception);
            return null;
        }
    }

    /// <summary>Reads the reference server's clock: its time in microseconds and this machine's timestamps around the call.</summary>
    public async ValueTask<(long ReferenceUs, long Sent, long Received)?> ReadClockAsync(TimeProvider time)
    {
        try
        {
            var connection = await ConnectionAsync().ConfigureAwait(false);
            if (connection is null || !connection.IsConnected)
            {
                return null;
            }

            var database = connection.GetDatabase();
            var sent = time.GetTimestamp();
            var reply = (RedisResult[])(await database.ScriptEvaluateAsync(TimeScript, [ClockKey]).WaitAsync(_timeout).ConfigureAwait(false))!;
            var received = time.GetTimestamp();
            var seconds = long.Parse((string)reply[0]!, CultureInfo.InvariantCulture);
            var micros = long.Parse((string)reply[1]!, CultureInfo.InvariantCulture);
            return ((seconds * 1_000_000) + micros, sent, received);
        }
        catch (Exception exception) when (IsRedisFailure(exception))
        {
            // Calibration is retried on the next tick; the breaker is for the cache's own calls.
            return null;
        }
    }

    /// <summary>
    /// SCANs every primary (in parallel on a cluster) for the pattern and UNLINKs what it finds in slot-grouped
    /// batches. Never KEYS. For patterns the scopes cannot express; cost grows with the key space.
    /// </summary>
    public async ValueTask<(RedisStatus Status, long Removed)> DeletePatternAsync(string pattern, CancellationToken cancellationToken)
    {
        if (!_breaker.TryEnter())
        {
            return (RedisStatus.Unavailable, 0);
        }

        try
        {
            var connection = await ConnectionAsync().ConfigureAwait(false);
            if (connection is null)
            {
                Failed("SCAN", pattern, null);
                return (RedisStatus.Unavailable, 0);
            }

            var match = _keyPrefix + pattern;
            var primaries = new List<Task<long>>();
            foreach (var endpoint in connection.GetEndPoints())
            {
                var server = connection.GetServer(endpoint);
                if (server.IsReplica)
                {
                    continue;
                }

                if (!server.IsConnected)
                {
                    throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, $"Primary {endpoint} is not connected; the pattern cannot be applied everywhere.");
                }

                primaries.Add(ScanAndUnlinkAsync(connection, server, match, cancellationToken));
            }

            var removed = (await Task.WhenAll(primaries).ConfigureAwait(false)).Sum();
            Succeeded();
            return (RedisStatus.Done, removed);
        }
        catch (Exception exception) when (IsPermanent(exception))
        {
            Rejected("SCAN", pattern, exception);
            return (RedisStatus.Rejected, 0);
        }
        catch (Exception exception) when (IsRedisFailure(exception))
        {
            Failed("SCAN", pattern, exception);
            return (RedisStatus.Unavailable, 0);
        }
    }

    private async Task<long> ScanAndUnlinkAsync(IConnectionMultiplexer connection, IServer server, string match, CancellationToken cancellationToken)
    {
        long removed = 0;
        var cursor = "0";
        var found = new List<RedisKey>(UnlinkBatchSize);
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            var reply = (RedisResult[])(await server.ExecuteAsync("SCAN", cursor, "MATCH", match, "COUNT", ScanPageSize).WaitAsync(_timeout, cancellationToken).ConfigureAwait(false))!;
            cursor = (string)reply[0]!;
            foreach (var key in (RedisKey[])reply[1]!)
            {
                found.Add(key);
            }

            if (found.Count >= UnlinkBatchSize)
            {
                removed += await UnlinkOnServerAsync(connection, server, found).WaitAsync(_timeout, cancellationToken).ConfigureAwait(false);
                found.Clear();
            }
        }
        while (cursor != "0");

        return removed + await UnlinkOnServerAsync(connection, server, found).WaitAsync(_timeout, cancellationToken).ConfigureAwait(false);
    }
}
