using System.Globalization;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Caching.Internal;

/// <summary>
/// L2: every Redis call the cache makes, with its failure handling. Calls never throw to the cache: a timeout,
/// a refused connection, <c>LOADING</c> or a cluster error becomes an "unavailable" result, counts as an error,
/// and feeds the circuit breaker, which then skips Redis until it lets a probe through.
/// </summary>
internal sealed class RedisLayer : IAsyncDisposable
{
    private const int UnlinkBatchSize = 500;
    private const int ScanPageSize = 1000;

    private readonly MultiLayerCacheOptions _options;
    private readonly ILogger _logger;
    private readonly CacheMetrics _metrics;
    private readonly Action _onError;
    private readonly CircuitBreaker _breaker;
    private readonly Task<ConnectionMultiplexer>[] _connections;
    private readonly string _keyPrefix;
    private readonly RedisChannel _channel;
    private readonly TimeSpan _timeout;
    private int _nextConnection;
    private volatile bool _disposed;
    private int _subscriptionLost;
    private Task _subscription = Task.CompletedTask;
    private int _unreachableLogged;

    public RedisLayer(MultiLayerCacheOptions options, ILogger logger, CacheMetrics metrics, Action onError, TimeProvider time)
    {
        _options = options;
        _logger = logger;
        _metrics = metrics;
        _onError = onError;
        _timeout = options.RedisTimeout;
        _breaker = new CircuitBreaker(options.BreakerFailureThreshold, options.BreakerDuration, time);
        _keyPrefix = options.KeyPrefix + ":";
        _channel = RedisChannel.Literal(options.KeyPrefix + ":__invalidate");
        _connections = new Task<ConnectionMultiplexer>[options.RedisPoolSize];
        for (var i = 0; i < _connections.Length; i++)
        {
            _connections[i] = ConnectAsync(i == 0);
        }
    }

    public event Action<string>? MessageReceived;

    /// <summary>Raised when the pub/sub connection comes back after a failure: messages may have been missed.</summary>
    public event Action? SubscriptionRestored;

    /// <summary>Raised when a call succeeds after the breaker had opened.</summary>
    public event Action? Recovered;

    public bool IsAvailable => _breaker.AllowsCall;

    public bool IsConnected
    {
        get
        {
            var task = _connections[0];
            return task.IsCompletedSuccessfully && task.Result.IsConnected;
        }
    }

    public string Endpoint => _options.RedisConnection.Split(',')[0];

    public string ChannelName => _channel.ToString();

    public RedisKey FullKey(string key) => _keyPrefix + key;

    public string TagKey(string tag) => _keyPrefix + "__tag:" + CacheKey.Escape(tag);

    public async ValueTask<RedisRead> GetAsync(string key, bool synchronous)
    {
        if (!_breaker.AllowsCall)
        {
            return RedisRead.Unavailable;
        }

        try
        {
            var connection = synchronous ? ConnectionSync() : await ConnectionAsync().ConfigureAwait(false);
            if (connection is null)
            {
                return Failed("GET", key, null);
            }

            var database = connection.GetDatabase();
            var value = synchronous
                ? database.StringGet(FullKey(key))
                : await database.StringGetAsync(FullKey(key)).ConfigureAwait(false);
            Succeeded();
            return value.IsNull ? RedisRead.Miss : RedisRead.Hit((byte[])value!);
        }
        catch (Exception exception) when (IsRedisFailure(exception))
        {
            return Failed("GET", key, exception);
        }
    }

    public async ValueTask<bool> SetAsync(string key, byte[] envelope, TimeSpan timeToLive, IReadOnlyList<string>? tags, bool synchronous)
    {
        if (!_breaker.AllowsCall)
        {
            return false;
        }

        try
        {
            var connection = synchronous ? ConnectionSync() : await ConnectionAsync().ConfigureAwait(false);
            if (connection is null)
            {
                Failed("SET", key, null);
                return false;
            }

            var database = connection.GetDatabase();
            var fullKey = FullKey(key);
            if (tags is null || tags.Count == 0)
            {
                if (synchronous)
                {
                    database.StringSet(fullKey, envelope, timeToLive);
                }
                else
                {
                    await database.StringSetAsync(fullKey, envelope, timeToLive).ConfigureAwait(false);
                }
            }
            else
            {
                // One pipelined batch (not a transaction: in a cluster the tag sets live in other slots). A tag set lives
                // as long as its longest member: NX gives a new set its first expiry, GT only ever extends it.
                var batch = database.CreateBatch();
                var pending = new List<Task>(1 + (tags.Count * 3)) { batch.StringSetAsync(fullKey, envelope, timeToLive) };
                var member = (RedisValue)(string)fullKey!;
                foreach (var tag in tags)
                {
                    var tagKey = TagKey(tag);
                    pending.Add(batch.SetAddAsync(tagKey, member));
                    pending.Add(batch.KeyExpireAsync(tagKey, timeToLive, ExpireWhen.HasNoExpiry));
                    pending.Add(batch.KeyExpireAsync(tagKey, timeToLive, ExpireWhen.GreaterThanCurrentExpiry));
                }

                batch.Execute();
                if (synchronous)
                {
                    Task.WaitAll(pending.ToArray(), _timeout * 2);
                    foreach (var task in pending)
                    {
                        if (!task.IsCompletedSuccessfully)
                        {
                            throw task.Exception?.InnerException ?? new TimeoutException("Redis batch did not complete.");
                        }
                    }
                }
                else
                {
                    await Task.WhenAll(pending).WaitAsync(_timeout * 2).ConfigureAwait(false);
                }
            }

            Succeeded();
            return true;
        }
        catch (Exception exception) when (IsRedisFailure(exception))
        {
            Failed("SET", key, exception);
            return false;
        }
    }

    /// <summary>Deletes keys (without prefix) with UNLINK; the number removed, or null when Redis could not be reached.</summary>
    public async ValueTask<long?> DeleteAsync(IReadOnlyList<string> keys)
    {
        if (keys.Count == 0)
        {
            return 0;
        }

        if (!_breaker.AllowsCall)
        {
            return null;
        }

        try
        {
            var connection = await ConnectionAsync().ConfigureAwait(false);
            if (connection is null)
            {
                Failed("UNLINK", keys[0], null);
                return null;
            }

            var fullKeys = new RedisKey[keys.Count];
            for (var i = 0; i < keys.Count; i++)
            {
                fullKeys[i] = FullKey(keys[i]);
            }

            var removed = await UnlinkAsync(connection, fullKeys).ConfigureAwait(false);
            Succeeded();
            return removed;
        }
        catch (Exception exception) when (IsRedisFailure(exception))
        {
            Failed("UNLINK", keys[0], exception);
            return null;
        }
    }

    /// <summary>
    /// SCANs every connected primary for the pattern and UNLINKs what it finds in slot-grouped batches. Never KEYS.
    /// Returns the number removed, or null when a primary could not be reached (the caller queues a replay).
    /// </summary>
    public async ValueTask<long?> DeletePatternAsync(string pattern, CancellationToken cancellationToken)
    {
        if (!_breaker.AllowsCall)
        {
            return null;
        }

        try
        {
            var connection = await ConnectionAsync().ConfigureAwait(false);
            if (connection is null)
            {
                Failed("SCAN", pattern, null);
                return null;
            }

            var match = _keyPrefix + pattern;
            long removed = 0;
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

                var cursor = "0";
                var found = new List<RedisKey>(UnlinkBatchSize);
                do
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var reply = (RedisResult[])(await server.ExecuteAsync("SCAN", cursor, "MATCH", match, "COUNT", ScanPageSize).ConfigureAwait(false))!;
                    cursor = (string)reply[0]!;
                    foreach (var key in (RedisKey[])reply[1]!)
                    {
                        found.Add(key);
                    }

                    if (found.Count >= UnlinkBatchSize)
                    {
                        removed += await UnlinkOnServerAsync(connection, server, found).ConfigureAwait(false);
                        found.Clear();
                    }
                }
                while (cursor != "0");

                removed += await UnlinkOnServerAsync(connection, server, found).ConfigureAwait(false);
            }

            Succeeded();
            return removed;
        }
        catch (Exception exception) when (IsRedisFailure(exception))
        {
            Failed("SCAN", pattern, exception);
            return null;
        }
    }

    /// <summary>Removes every key recorded under the tag, then the tag set itself. Null when Redis could not be reached.</summary>
    public async ValueTask<long?> DeleteTagAsync(string tag, CancellationToken cancellationToken)
    {
        if (!_breaker.AllowsCall)
        {
            return null;
        }

        try
        {
            var connection = await ConnectionAsync().ConfigureAwait(false);
            if (connection is null)
            {
                Failed("SSCAN", tag, null);
                return null;
            }

            var database = connection.GetDatabase();
            var tagKey = TagKey(tag);
            long removed = 0;
            var batch = new List<RedisKey>(UnlinkBatchSize);
            await foreach (var member in database.SetScanAsync(tagKey, pageSize: ScanPageSize).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                batch.Add((string)member!);
                if (batch.Count >= UnlinkBatchSize)
                {
                    removed += await UnlinkAsync(connection, batch).ConfigureAwait(false);
                    batch.Clear();
                }
            }

            removed += await UnlinkAsync(connection, batch).ConfigureAwait(false);
            await UnlinkAsync(connection, [tagKey]).ConfigureAwait(false);
            Succeeded();
            return removed;
        }
        catch (Exception exception) when (IsRedisFailure(exception))
        {
            Failed("SSCAN", tag, exception);
            return null;
        }
    }

    public async ValueTask<bool> PublishAsync(string message)
    {
        if (!_breaker.AllowsCall)
        {
            return false;
        }

        try
        {
            var connection = await ConnectionAsync().ConfigureAwait(false);
            if (connection is null)
            {
                return false;
            }

            await connection.GetSubscriber().PublishAsync(_channel, message).WaitAsync(_timeout).ConfigureAwait(false);
            Succeeded();
            return true;
        }
        catch (Exception exception) when (IsRedisFailure(exception))
        {
            Failed("PUBLISH", _channel.ToString(), exception);
            return false;
        }
    }

    /// <summary>A set/get round trip on a probe key, for the health check.</summary>
    public async ValueTask<bool> ProbeAsync(string instanceId)
    {
        try
        {
            // The first attempt may still be running (at startup): wait for it rather than report a false outage.
            await Task.WhenAll(_connections).ConfigureAwait(false);
            var connection = await ConnectionAsync().ConfigureAwait(false);
            if (connection is null || !connection.IsConnected)
            {
                return false;
            }

            // Connected: the backplane subscription follows within a round trip; a node that serves before it is
            // subscribed would miss invalidations.
            await _subscription.WaitAsync(_timeout * 4).ConfigureAwait(false);

            var database = connection.GetDatabase();
            var key = FullKey("__health:" + instanceId);
            var token = Guid.NewGuid().ToString("N");
            await database.StringSetAsync(key, token, TimeSpan.FromSeconds(30)).WaitAsync(_timeout).ConfigureAwait(false);
            var read = await database.StringGetAsync(key).WaitAsync(_timeout).ConfigureAwait(false);
            return read == token;
        }
        catch (Exception exception) when (IsRedisFailure(exception))
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        foreach (var task in _connections)
        {
            try
            {
                var connection = await task.ConfigureAwait(false);
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception exception) when (IsRedisFailure(exception))
            {
                // Nothing to release: the connection never came up.
            }
        }
    }

    // Everything but the caller's own cancellation is a Redis failure: the cache absorbs it.
    private static bool IsRedisFailure(Exception exception) => exception is not OperationCanceledException;

    private static async ValueTask<long> UnlinkOnServerAsync(ConnectionMultiplexer connection, IServer server, List<RedisKey> keys)
    {
        long removed = 0;
        foreach (var group in GroupBySlot(connection, keys))
        {
            var arguments = new object[group.Count];
            for (var i = 0; i < group.Count; i++)
            {
                arguments[i] = group[i];
            }

            removed += (long)(await server.ExecuteAsync("UNLINK", arguments).ConfigureAwait(false));
        }

        return removed;
    }

    private static async ValueTask<long> UnlinkAsync(ConnectionMultiplexer connection, IReadOnlyList<RedisKey> keys)
    {
        long removed = 0;
        var database = connection.GetDatabase();
        foreach (var group in GroupBySlot(connection, keys))
        {
            // RedisKey arguments route the command to the slot's primary; grouping by slot avoids CROSSSLOT.
            var arguments = new object[group.Count];
            for (var i = 0; i < group.Count; i++)
            {
                arguments[i] = group[i];
            }

            removed += (long)(await database.ExecuteAsync("UNLINK", arguments).ConfigureAwait(false));
        }

        return removed;
    }

    private static IEnumerable<List<RedisKey>> GroupBySlot(ConnectionMultiplexer connection, IReadOnlyList<RedisKey> keys)
    {
        if (keys.Count == 0)
        {
            yield break;
        }

        var groups = new Dictionary<int, List<RedisKey>>();
        foreach (var key in keys)
        {
            var slot = connection.HashSlot(key);
            if (!groups.TryGetValue(slot, out var group))
            {
                group = [];
                groups[slot] = group;
            }

            group.Add(key);
        }

        foreach (var group in groups.Values)
        {
            for (var start = 0; start < group.Count; start += UnlinkBatchSize)
            {
                yield return group.GetRange(start, Math.Min(UnlinkBatchSize, group.Count - start));
            }
        }
    }

    private async ValueTask<ConnectionMultiplexer?> ConnectionAsync()
    {
        var task = _connections[(int)((uint)Interlocked.Increment(ref _nextConnection) % (uint)_connections.Length)];
        if (!task.IsCompleted)
        {
            try
            {
                await task.WaitAsync(_timeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return null;
            }
        }

        return task.IsCompletedSuccessfully ? task.Result : null;
    }

    private ConnectionMultiplexer? ConnectionSync()
    {
        var task = _connections[(int)((uint)Interlocked.Increment(ref _nextConnection) % (uint)_connections.Length)];
        if (!task.IsCompleted && !task.Wait(_timeout))
        {
            return null;
        }

        return task.IsCompletedSuccessfully ? task.Result : null;
    }

    /// <summary>
    /// Subscribes the backplane channel, retrying while the server cannot be reached: with fail-fast commands a
    /// SUBSCRIBE sent before the connection is up fails, and a node that never subscribed would silently keep
    /// serving values other nodes invalidated.
    /// </summary>
    private async Task SubscribeUntilDoneAsync(ConnectionMultiplexer connection)
    {
        var logged = false;
        while (!_disposed)
        {
            try
            {
                var queue = await connection.GetSubscriber().SubscribeAsync(_channel).ConfigureAwait(false);
                queue.OnMessage(message =>
                {
                    var text = (string?)message.Message;
                    if (text is not null)
                    {
                        MessageReceived?.Invoke(text);
                    }
                });
                return;
            }
            catch (Exception exception) when (IsRedisFailure(exception))
            {
                // While Redis is down the outage has been reported once already; this is the same fact.
                if (!logged && Volatile.Read(ref _unreachableLogged) == 0)
                {
                    Log.BackplaneSubscribeFailed(_logger, _channel.ToString(), exception);
                    logged = true;
                }

                await Task.Delay(250).ConfigureAwait(false);
            }
        }
    }

    private async Task<ConnectionMultiplexer> ConnectAsync(bool subscribe)
    {
        var configuration = ConfigurationOptions.Parse(_options.RedisConnection);
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ReconnectRetryPolicy = new LinearRetry(500);
        var timeoutMs = (int)Math.Clamp(_timeout.TotalMilliseconds, 1, int.MaxValue);
        configuration.AsyncTimeout = timeoutMs;
        configuration.SyncTimeout = timeoutMs;
        if (string.IsNullOrEmpty(configuration.ClientName))
        {
            configuration.ClientName = _options.KeyPrefix + "-cache";
        }

        var connection = await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
        connection.ConnectionFailed += (_, args) =>
        {
            if (args.ConnectionType == ConnectionType.Interactive && Interlocked.Exchange(ref _unreachableLogged, 1) == 0)
            {
                Log.RedisUnreachable(_logger, Endpoint, args.Exception);
            }

            // Only a subscription that was up and then dropped can have missed invalidations.
            if (subscribe && args.ConnectionType == ConnectionType.Subscription && _subscription.IsCompletedSuccessfully)
            {
                Volatile.Write(ref _subscriptionLost, 1);
            }
        };
        connection.ConnectionRestored += (_, args) =>
        {
            if (args.ConnectionType == ConnectionType.Interactive && Interlocked.Exchange(ref _unreachableLogged, 0) == 1)
            {
                Log.RedisRestored(_logger, Endpoint);
            }

            if (subscribe && args.ConnectionType == ConnectionType.Subscription && Interlocked.Exchange(ref _subscriptionLost, 0) == 1)
            {
                SubscriptionRestored?.Invoke();
            }
        };
        if (!connection.IsConnected && Interlocked.Exchange(ref _unreachableLogged, 1) == 0)
        {
            Log.RedisUnreachable(_logger, Endpoint, null);
        }

        if (subscribe)
        {
            _subscription = SubscribeUntilDoneAsync(connection);
        }

        return connection;
    }

    private void Succeeded()
    {
        if (_breaker.RecordSuccess())
        {
            Log.BreakerClosed(_logger);
            Recovered?.Invoke();
        }
    }

    private RedisRead Failed(string operation, string key, Exception? exception)
    {
        _onError();
        _metrics.Error(operation);
        // One line per outage: the first failure of a streak, unless the connection already reported it.
        if (exception is not null && _breaker.ConsecutiveFailures == 0 && Volatile.Read(ref _unreachableLogged) == 0)
        {
            Log.RedisOperationFailed(_logger, operation, key, exception);
        }

        if (_breaker.RecordFailure() && _breaker.ConsecutiveFailures == _options.BreakerFailureThreshold)
        {
            Log.BreakerOpened(_logger, _breaker.ConsecutiveFailures, _options.BreakerDuration);
        }

        return RedisRead.Unavailable;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"Redis({Endpoint}, breaker {(IsAvailable ? "closed" : "open")})");
}

/// <summary>The result of a Redis read: a hit with bytes, a miss, or Redis was unavailable.</summary>
internal readonly record struct RedisRead(RedisReadStatus Status, byte[]? Bytes)
{
    public static RedisRead Miss => new(RedisReadStatus.Miss, null);

    public static RedisRead Unavailable => new(RedisReadStatus.Unavailable, null);

    public static RedisRead Hit(byte[] bytes) => new(RedisReadStatus.Hit, bytes);
}

/// <summary>What a Redis read found.</summary>
internal enum RedisReadStatus
{
    Miss,
    Hit,
    Unavailable,
}
