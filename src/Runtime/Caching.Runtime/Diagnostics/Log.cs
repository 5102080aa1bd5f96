using Microsoft.Extensions.Logging;

namespace Caching.Internal;

/// <summary>Every message the cache logs, source-generated so a disabled level costs nothing.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "Redis at {Endpoint} is unreachable; serving from the in-process cache and the source until it returns.")]
    public static partial void RedisUnreachable(ILogger logger, string endpoint, Exception? exception);

    [LoggerMessage(2, LogLevel.Information, "Redis connection to {Endpoint} restored.")]
    public static partial void RedisRestored(ILogger logger, string endpoint);

    [LoggerMessage(3, LogLevel.Warning, "Redis {Operation} failed for key {Key}; the call goes on without Redis.")]
    public static partial void RedisOperationFailed(ILogger logger, string operation, string key, Exception exception);

    [LoggerMessage(4, LogLevel.Warning, "Redis circuit breaker opened after {Failures} consecutive failures; Redis is skipped for {Duration}.")]
    public static partial void BreakerOpened(ILogger logger, int failures, TimeSpan duration);

    [LoggerMessage(5, LogLevel.Information, "Redis circuit breaker closed; Redis is used again.")]
    public static partial void BreakerClosed(ILogger logger);

    [LoggerMessage(6, LogLevel.Warning, "Unreadable cache entry {Key} in Redis ({Problem}); deleted and reloaded from the source.")]
    public static partial void BadPayload(ILogger logger, string key, string problem, Exception? exception);

    [LoggerMessage(7, LogLevel.Warning, "Value for key {Key} is {Bytes} bytes, over MaxValueBytes {Limit}; returned without caching.")]
    public static partial void ValueTooLarge(ILogger logger, string key, long bytes, int limit);

    [LoggerMessage(8, LogLevel.Warning, "Source failed for key {Key}; serving the stale value from {Tier} (fail-safe).")]
    public static partial void FailSafeServed(ILogger logger, string key, CacheTier tier, Exception exception);

    [LoggerMessage(9, LogLevel.Warning, "Invalidations cannot reach Redis; they are applied on this node and queued for replay (logged once per outage).")]
    public static partial void InvalidationsQueued(ILogger logger);

    [LoggerMessage(10, LogLevel.Information, "Replayed {Count} queued invalidation(s) on Redis.")]
    public static partial void InvalidationsReplayed(ILogger logger, int count);

    [LoggerMessage(11, LogLevel.Debug, "Load for key {Key} crossed an invalidation; its value is returned but not cached.")]
    public static partial void StaleSetPrevented(ILogger logger, string key);

    [LoggerMessage(12, LogLevel.Warning, "Backplane subscription to {Channel} failed; other nodes' invalidations reach this node only after L1 expiry until it recovers.")]
    public static partial void BackplaneSubscribeFailed(ILogger logger, string channel, Exception exception);

    [LoggerMessage(13, LogLevel.Information, "Backplane reconnected; the in-process cache was cleared because invalidations may have been missed.")]
    public static partial void BackplaneReconnected(ILogger logger);

    [LoggerMessage(15, LogLevel.Error, "Redis refuses {Operation} for {Target} ({Reason}); the cache will not retry it. Check the Redis user's permissions.")]
    public static partial void RedisRejected(ILogger logger, string operation, string target, string reason);

    [LoggerMessage(16, LogLevel.Warning, "Invalidation {Kind} '{Target}' was refused by Redis; the whole key prefix was invalidated instead.")]
    public static partial void InvalidationWidened(ILogger logger, char kind, string target);

    [LoggerMessage(17, LogLevel.Error, "Invalidation {Kind} '{Target}' was refused by Redis and dropped; other nodes keep their copies until they expire.")]
    public static partial void InvalidationDropped(ILogger logger, char kind, string target);

    [LoggerMessage(18, LogLevel.Warning, "The Redis reference clock moved outside its error bounds (a clock step or a failover); this node's invalidation knowledge and L1 were reset.")]
    public static partial void ClockStepped(ILogger logger);

    [LoggerMessage(19, LogLevel.Debug, "The cache's source did not answer within the factory timeout; a stale value from {Tier} was served while the load goes on in the background.")]
    public static partial void FactoryTimedOutServingStale(ILogger logger, CacheTier tier);

    [LoggerMessage(20, LogLevel.Debug, "Background load of key {Key} failed; the entry stays as it was until it expires.")]
    public static partial void BackgroundLoadFailed(ILogger logger, string key, Exception exception);

    [LoggerMessage(14, LogLevel.Information, "Cache started: L1 {LocalState} ({LocalMb} MB), Redis {RedisState} at {Endpoint}, key prefix '{Prefix}'.")]
    public static partial void Started(ILogger logger, string localState, long localMb, string redisState, string endpoint, string prefix);
}
