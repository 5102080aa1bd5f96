using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Caching.Internal;

/// <summary>
/// L2: every Redis call the cache makes, with its failure handling. Calls never throw to the cache: a timeout,
/// a refused connection, <c>LOADING</c> or a cluster error becomes an "unavailable" result, counts as an error,
/// and feeds the circuit breaker, which then skips Redis until it lets one probe through. Every call is bounded by
/// <c>RedisTimeout</c> here, not by the client's own timeout check (which runs on a one-second heartbeat).
/// Errors the server gives for a command it will never accept (NOPERM, WRONGTYPE, a script error) are told apart
/// from outages: they do not open the breaker, and an invalidation that meets one is not retried forever.
/// It either owns its connections (<c>REDIS_POOL_SIZE</c> multiplexers it creates and disposes) or shares the
/// application's multiplexer: then it opens nothing, subscribes the backplane on that one, and on disposal only
/// unsubscribes and detaches its handlers, leaving the connection to its owner.
/// </summary>
internal sealed partial class RedisLayer : IAsyncDisposable
{
    private const int UnlinkBatchSize = 500;
    private const int ScanPageSize = 1000;

    private readonly MultiLayerCacheOptions _options;
    private readonly ILogger _logger;
    private readonly CacheMetrics _metrics;
    private readonly Action _onError;
    private readonly CircuitBreaker _breaker;
    private readonly Task<IConnectionMultiplexer>[] _connections;
    private readonly IConnectionMultiplexer? _shared;

    // Whether a synchronous call returns within RedisTimeout by itself: the cache's own connections use it as their
    // sync timeout; a shared multiplexer may wait longer (5 s by default), so its synchronous calls are bounded here.
    private readonly bool _syncCallsBounded;
    private readonly List<(IConnectionMultiplexer Connection, EventHandler<ConnectionFailedEventArgs> Failed, EventHandler<ConnectionFailedEventArgs> Restored)> _handlers = [];
    private ChannelMessageQueue? _backplane;
    private readonly string _keyPrefix;

    // The prefix as bytes: a key is sent as prefix bytes + the caller's string, without concatenating a string per call.
    private readonly RedisKey _keyPrefixBytes;
    private readonly RedisChannel _channel;
    private readonly TimeSpan _timeout;
    private readonly RedisServerAddress _server;
    private int _nextConnection;
    private volatile bool _disposed;
    private int _subscriptionLost;
    private Task _subscription = Task.CompletedTask;
    private int _unreachableLogged;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _rejectionsLogged = new(StringComparer.Ordinal);

    public RedisLayer(MultiLayerCacheOptions options, ILogger logger, CacheMetrics metrics, Action onError, TimeProvider time, IConnectionMultiplexer? shared = null)
    {
        _options = options;
        _logger = logger;
        _metrics = metrics;
        _onError = onError;
        _timeout = options.RedisTimeout;
        _server = RedisServerAddress.Parse(Endpoint);
        _breaker = new CircuitBreaker(options.BreakerFailureThreshold, options.BreakerDuration, time);
        _keyPrefix = options.KeyPrefix + ":";
        _keyPrefixBytes = System.Text.Encoding.UTF8.GetBytes(_keyPrefix);
        _channel = RedisChannel.Literal(options.KeyPrefix + ":__invalidate");
        _shared = shared;
        if (shared is not null)
        {
            _syncCallsBounded = shared.TimeoutMilliseconds <= _timeout.TotalMilliseconds;
            _connections = [Task.FromResult(Attach(shared, subscribe: true))];
            return;
        }

        _syncCallsBounded = true;
        _connections = new Task<IConnectionMultiplexer>[options.RedisPoolSize];
        for (var i = 0; i < _connections.Length; i++)
        {
            _connections[i] = ConnectAsync(i == 0);
        }
    }

    public event Action<string>? MessageReceived;

    /// <summary>Raised when the backplane subscription is up: first (false), or again after a loss in which messages may have been missed (true).</summary>
    public event Action<bool>? Subscribed;

    /// <summary>Raised when the backplane subscription drops: messages may be missed until it is back.</summary>
    public event Action? SubscriptionLost;

    /// <summary>Raised when a call succeeds after the breaker had opened.</summary>
    public event Action? Recovered;

    public bool IsAvailable => _breaker.AllowsCall;

    /// <summary>
    /// More than one server behind the connection (a cluster, or replicas): then a script and a message sent in one
    /// batch may be served by different servers, and their order is not guaranteed.
    /// </summary>
    public bool IsCluster
    {
        get
        {
            var task = _connections[0];
            return !task.IsCompletedSuccessfully || task.Result.GetEndPoints().Length != 1;
        }
    }

    /// <summary>Connected, or still connecting: not known to be down (a first call may wait for the clock then).</summary>
    public bool IsConnectingOrConnected
    {
        get
        {
            var task = _connections[0];
            return !task.IsCompleted || (task.IsCompletedSuccessfully && task.Result.IsConnected);
        }
    }

    public bool IsConnected
    {
        get
        {
            var task = _connections[0];
            return task.IsCompletedSuccessfully && task.Result.IsConnected;
        }
    }

    public string Endpoint => _shared is not null ? FirstEndpoint(_shared) : _options.RedisConnection.Split(',')[0];

    /// <summary>The first server of a connection, for logs.</summary>
    public static string FirstEndpoint(IConnectionMultiplexer connection) =>
        connection.GetEndPoints() is { Length: > 0 } endpoints ? EndPointCollection.ToString(endpoints[0]) : "(no endpoint)";

    public string ChannelName => _channel.ToString();

    public RedisKey FullKey(string key) => ((RedisKey)key).Prepend(_keyPrefixBytes);

    public string TagKey(string tag) => _keyPrefix + "__tag:" + CacheKey.Escape(tag);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<RedisRead> GetAsync(string key, bool synchronous)
    {
        if (!_breaker.TryEnter())
        {
            return RedisRead.Unavailable;
        }

        using var activity = CacheActivity.StartRedis("cache.redis.get", "GET", _server);
        try
        {
            var connection = synchronous ? ConnectionSync() : await ConnectionAsync().ConfigureAwait(false);
            if (connection is null)
            {
                CacheActivity.RedisFailed(activity, null);
                return Failed("GET", key, null);
            }

            var database = connection.GetDatabase();
            var value = synchronous
                ? (_syncCallsBounded ? database.StringGet(FullKey(key)) : Bounded(database.StringGetAsync(FullKey(key))))
                : await database.StringGetAsync(FullKey(key)).WaitAsync(_timeout).ConfigureAwait(false);
            Succeeded();
            activity?.SetTag("cache.hit", !value.IsNull);
            return value.IsNull ? RedisRead.Miss : RedisRead.Hit((byte[])value!);
        }
        catch (Exception exception) when (IsRedisFailure(exception))
        {
            CacheActivity.RedisFailed(activity, exception);
            return Failed("GET", key, exception);
        }
    }

    /// <summary>Deletes keys (without prefix) with UNLINK; the number removed, or null when Redis could not be reached.</summary>
    public async ValueTask<long?> DeleteAsync(IReadOnlyList<string> keys)
    {
        if (keys.Count == 0)
        {
            return 0;
        }

        if (!_breaker.TryEnter())
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

            var removed = await UnlinkAsync(connection, fullKeys).WaitAsync(_timeout).ConfigureAwait(false);
            Succeeded();
            return removed;
        }
        catch (Exception exception) when (IsRedisFailure(exception))
        {
            Failed("UNLINK", keys[0], exception);
            return null;
        }
    }

    public async ValueTask<bool> PublishAsync(string message)
    {
        if (!_breaker.TryEnter())
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
        lock (_handlers)
        {
            foreach (var (connection, failed, restored) in _handlers)
            {
                connection.ConnectionFailed -= failed;
                connection.ConnectionRestored -= restored;
            }

            _handlers.Clear();
        }

        if (_shared is not null)
        {
            // The application's connection stays up for its other users: only this cache's subscription goes.
            try
            {
                await _subscription.WaitAsync(_timeout).ConfigureAwait(false);
                if (_backplane is { } backplane)
                {
                    await backplane.UnsubscribeAsync().WaitAsync(_timeout).ConfigureAwait(false);
                }
            }
            catch (Exception exception) when (IsRedisFailure(exception))
            {
                // Redis is gone or slow: the unsubscription is abandoned. Nothing reads the channel's queue any more, and
                // the handlers that fed this cache are already detached.
            }

            return;
        }

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

    /// <summary>
    /// An answer from a server that will give the same answer to every retry: missing permissions, a key of another
    /// type, a script the server rejects, a command it does not have.
    /// </summary>
    internal static bool IsPermanent(Exception exception) =>
        exception is RedisServerException server && (
            server.Message.StartsWith("NOPERM", StringComparison.Ordinal) ||
            server.Message.StartsWith("WRONGTYPE", StringComparison.Ordinal) ||
            server.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal) ||
            server.Message.StartsWith("ERR unknown command", StringComparison.Ordinal) ||
            server.Message.Contains("Error running script", StringComparison.Ordinal) ||
            server.Message.Contains("user_script", StringComparison.Ordinal));

    private static async Task<long> UnlinkOnServerAsync(IConnectionMultiplexer connection, IServer server, List<RedisKey> keys)
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

    private static async Task<long> UnlinkAsync(IConnectionMultiplexer connection, IReadOnlyList<RedisKey> keys)
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

    private static IEnumerable<List<RedisKey>> GroupBySlot(IConnectionMultiplexer connection, IReadOnlyList<RedisKey> keys)
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

    private async ValueTask<IConnectionMultiplexer?> ConnectionAsync()
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

    private IConnectionMultiplexer? ConnectionSync()
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
    private async Task SubscribeUntilDoneAsync(IConnectionMultiplexer connection)
    {
        var logged = false;
        var failures = 0;
        while (!_disposed)
        {
            try
            {
                var queue = await connection.GetSubscriber().SubscribeAsync(_channel).ConfigureAwait(false);
                _backplane = queue;
                queue.OnMessage(message =>
                {
                    var text = (string?)message.Message;
                    if (text is not null)
                    {
                        MessageReceived?.Invoke(text);
                    }
                });
                Subscribed?.Invoke(false);
                return;
            }
            catch (Exception exception) when (IsRedisFailure(exception))
            {
                // While Redis is down the outage has been reported once already; this is the same fact. A first
                // failure is retried without a warning: the client can report itself connected a moment before its
                // subscription connection is ("No connection is active"), and the retry 250 ms later then succeeds.
                if (++failures > 1 && !logged && Volatile.Read(ref _unreachableLogged) == 0)
                {
                    Log.BackplaneSubscribeFailed(_logger, _channel.ToString(), exception);
                    logged = true;
                }

                await Task.Delay(250).ConfigureAwait(false);
            }
        }
    }

    private async Task<IConnectionMultiplexer> ConnectAsync(bool subscribe)
    {
        var configuration = ConfigurationOptions.Parse(_options.RedisConnection);
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ReconnectRetryPolicy = new LinearRetry(250);

        // The heartbeat stays at its default: at 250 ms the client's heartbeat work held thread-pool threads while the
        // server slept, and the runtime's own timeouts then fired up to a second late.
        var timeoutMs = (int)Math.Clamp(_timeout.TotalMilliseconds, 1, int.MaxValue);
        configuration.AsyncTimeout = timeoutMs;
        configuration.SyncTimeout = timeoutMs;
        if (string.IsNullOrEmpty(configuration.ClientName))
        {
            configuration.ClientName = _options.KeyPrefix + "-cache";
        }

        var connection = await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
        return Attach(connection, subscribe);
    }

    /// <summary>Follows a connection's failures and recoveries (breaker, logs, backplane) and, for the first, subscribes the backplane.</summary>
    private IConnectionMultiplexer Attach(IConnectionMultiplexer connection, bool subscribe)
    {
        EventHandler<ConnectionFailedEventArgs> failed = (_, args) =>
        {
            if (args.ConnectionType == ConnectionType.Interactive)
            {
                ReportUnreachable("connection failed: " + args.FailureType, args.Exception);
            }

            // Only a subscription that was up and then dropped can have missed invalidations.
            if (subscribe && args.ConnectionType == ConnectionType.Subscription && _subscription.IsCompletedSuccessfully)
            {
                if (Interlocked.Exchange(ref _subscriptionLost, 1) == 0)
                {
                    SubscriptionLost?.Invoke();
                }
            }
        };
        EventHandler<ConnectionFailedEventArgs> restored = (_, args) =>
        {
            if (args.ConnectionType == ConnectionType.Interactive)
            {
                ReportRestored();

                // The client has a working connection again: use it now instead of waiting out the breaker's period.
                if (_breaker.RecordSuccess())
                {
                    Log.BreakerClosed(_logger);
                }

                Recovered?.Invoke();
            }

            if (subscribe && args.ConnectionType == ConnectionType.Subscription && Interlocked.Exchange(ref _subscriptionLost, 0) == 1)
            {
                Subscribed?.Invoke(true);
            }
        };
        connection.ConnectionFailed += failed;
        connection.ConnectionRestored += restored;
        lock (_handlers)
        {
            _handlers.Add((connection, failed, restored));
        }

        if (!connection.IsConnected)
        {
            ReportUnreachable("no connection at startup", null);
        }

        if (subscribe)
        {
            _subscription = SubscribeUntilDoneAsync(connection);
        }

        return connection;
    }

    /// <summary>A synchronous call on a shared multiplexer, waited for at most RedisTimeout (a TimeoutException past it, like the client's own).</summary>
    private TResult Bounded<TResult>(Task<TResult> pending) => pending.WaitAsync(_timeout).GetAwaiter().GetResult();

    /// <summary>A permanent rejection: counted and logged once per operation, but the server answered, so the breaker stays closed.</summary>
    private void Rejected(string operation, string target, Exception exception)
    {
        _onError();
        _metrics.Error(operation);
        if (_rejectionsLogged.TryAdd(operation, true))
        {
            Log.RedisRejected(_logger, operation, exception.Message);
        }

        Log.RedisRejectedDetail(_logger, operation, target);

        Succeeded();
    }

    private void Succeeded()
    {
        if (_breaker.RecordSuccess())
        {
            // A Redis that was slow rather than gone never reports its connection restored: this success ends the outage.
            ReportRestored();
            Log.BreakerClosed(_logger);
            Recovered?.Invoke();
        }
    }

    /// <summary>
    /// The outage's one warning: the connection dropped, or enough calls in a row failed to open the breaker (a
    /// Redis that stopped answering but kept its connections). Isolated failures are Debug messages and errors counted.
    /// </summary>
    private void ReportUnreachable(string reason, Exception? connectionException)
    {
        if (Interlocked.Exchange(ref _unreachableLogged, 1) == 0)
        {
            Log.RedisUnreachable(_logger, Endpoint, reason, connectionException);
        }
    }

    private void ReportRestored()
    {
        if (Interlocked.Exchange(ref _unreachableLogged, 0) == 1)
        {
            Log.RedisRestored(_logger, Endpoint);
        }
    }

    private RedisRead Failed(string operation, string key, Exception? exception)
    {
        _onError();
        _metrics.Error(operation);
        Log.RedisOperationFailed(_logger, operation, key, exception);
        if (_breaker.RecordFailure())
        {
            if (_breaker.ConsecutiveFailures == _options.BreakerFailureThreshold)
            {
                Log.BreakerOpened(_logger, _breaker.ConsecutiveFailures, _options.BreakerDuration);
            }

            // Not the call's exception: StackExchange.Redis puts the command's key in its message.
            ReportUnreachable(string.Create(CultureInfo.InvariantCulture, $"{_breaker.ConsecutiveFailures} calls in a row failed, the last with {exception?.GetType().Name ?? "no connection"}"), null);
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
