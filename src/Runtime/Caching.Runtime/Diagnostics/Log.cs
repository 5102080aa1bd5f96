using Microsoft.Extensions.Logging;

namespace Caching.Internal;

/// <summary>
/// Every message the cache logs, source-generated so a disabled level costs nothing. Keys (and patterns, which are
/// keys with wildcards) can hold personal data: they appear only in Debug messages. Warnings come once per episode:
/// one "Redis unreachable" per outage, and a recurring problem once per <see cref="LogEpisodes"/> episode, with
/// every occurrence and its key at Debug.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "Redis at {Endpoint} is unreachable ({Reason}); serving from the in-process cache and the source, and queueing invalidations, until it returns (logged once per outage).")]
    public static partial void RedisUnreachable(ILogger logger, string endpoint, string reason, Exception? exception);

    [LoggerMessage(2, LogLevel.Information, "Redis at {Endpoint} answers again; the outage is over.")]
    public static partial void RedisRestored(ILogger logger, string endpoint);

    // Per call: the outage itself is RedisUnreachable, once.
    [LoggerMessage(3, LogLevel.Debug, "Redis {Operation} failed for key {Key}; the call goes on without Redis.")]
    public static partial void RedisOperationFailed(ILogger logger, string operation, string key, Exception? exception);

    [LoggerMessage(4, LogLevel.Information, "Redis circuit breaker opened after {Failures} consecutive failures; Redis is skipped for {Duration}.")]
    public static partial void BreakerOpened(ILogger logger, int failures, TimeSpan duration);

    [LoggerMessage(5, LogLevel.Information, "Redis circuit breaker closed; Redis is used again.")]
    public static partial void BreakerClosed(ILogger logger);

    /// <summary>An entry the cache cannot use (unreadable in Redis, or a value it cannot serialize): Debug with the key, a warning per episode.</summary>
    public static void BadPayload(ILogger logger, LogEpisodes episodes, string key, string problem, Exception? exception)
    {
        BadPayloadDetail(logger, key, problem, exception);
        if (episodes.Begins(6, problem, out var occurrences))
        {
            BadPayloadEpisode(logger, problem, occurrences, exception);
        }
    }

    /// <summary>A value over MaxValueBytes: Debug with the key, a warning per episode of its type.</summary>
    public static void ValueTooLarge(ILogger logger, LogEpisodes episodes, Type type, string key, long bytes, int limit)
    {
        ValueTooLargeDetail(logger, key, bytes, limit);
        if (episodes.Begins(7, type, out var occurrences))
        {
            ValueTooLargeEpisode(logger, type, bytes, limit, occurrences);
        }
    }

    /// <summary>A failed source answered from a stale value: Debug with the key, a warning per episode of the value type.</summary>
    public static void FailSafeServed(ILogger logger, LogEpisodes episodes, Type type, string key, CacheTier tier, Exception exception)
    {
        FailSafeServedDetail(logger, key, tier, exception);
        if (episodes.Begins(8, type, out var occurrences))
        {
            FailSafeServedEpisode(logger, type, tier, occurrences, exception);
        }
    }

    [LoggerMessage(6, LogLevel.Warning, "Unusable cache entry ({Problem}): deleted from Redis and reloaded from the source, or returned uncached; {Occurrences} since the last such warning. Each one is logged at Debug with its key.")]
    private static partial void BadPayloadEpisode(ILogger logger, string problem, long occurrences, Exception? exception);

    [LoggerMessage(19, LogLevel.Debug, "Unusable cache entry {Key} ({Problem}).")]
    private static partial void BadPayloadDetail(ILogger logger, string key, string problem, Exception? exception);

    [LoggerMessage(7, LogLevel.Warning, "A {Type} value is {Bytes} bytes, over MaxValueBytes {Limit}; returned without caching; {Occurrences} since the last such warning. Each one is logged at Debug with its key.")]
    private static partial void ValueTooLargeEpisode(ILogger logger, Type type, long bytes, int limit, long occurrences);

    [LoggerMessage(20, LogLevel.Debug, "Value for key {Key} is {Bytes} bytes, over MaxValueBytes {Limit}; returned without caching.")]
    private static partial void ValueTooLargeDetail(ILogger logger, string key, long bytes, int limit);

    [LoggerMessage(8, LogLevel.Warning, "The source of a {Type} value failed; serving the stale value from {Tier} (fail-safe); {Occurrences} since the last such warning. Each one is logged at Debug with its key.")]
    private static partial void FailSafeServedEpisode(ILogger logger, Type type, CacheTier tier, long occurrences, Exception exception);

    [LoggerMessage(21, LogLevel.Debug, "Source failed for key {Key}; serving the stale value from {Tier} (fail-safe).")]
    private static partial void FailSafeServedDetail(ILogger logger, string key, CacheTier tier, Exception exception);

    // Information: while Redis is away the outage's one warning (RedisUnreachable) has said it; a lone failed
    // invalidation is replayed within a tick.
    [LoggerMessage(9, LogLevel.Information, "Invalidations cannot reach Redis; they are applied on this node and queued for replay (logged once per outage).")]
    public static partial void InvalidationsQueued(ILogger logger);

    [LoggerMessage(10, LogLevel.Information, "Replayed {Count} queued invalidation(s) on Redis.")]
    public static partial void InvalidationsReplayed(ILogger logger, int count);

    [LoggerMessage(11, LogLevel.Debug, "Load for key {Key} crossed an invalidation; its value is returned but not cached.")]
    public static partial void StaleSetPrevented(ILogger logger, string key);

    [LoggerMessage(12, LogLevel.Warning, "Backplane subscription to {Channel} failed; other nodes' invalidations reach this node only after L1 expiry until it recovers.")]
    public static partial void BackplaneSubscribeFailed(ILogger logger, string channel, Exception exception);

    [LoggerMessage(13, LogLevel.Information, "Backplane reconnected; the in-process cache was cleared because invalidations may have been missed.")]
    public static partial void BackplaneReconnected(ILogger logger);

    [LoggerMessage(15, LogLevel.Error, "Redis refuses {Operation} ({Reason}); the cache will not retry it. Check the Redis user's permissions. Each refusal is logged at Debug with its key.")]
    public static partial void RedisRejected(ILogger logger, string operation, string reason);

    [LoggerMessage(22, LogLevel.Debug, "Redis refused {Operation} for {Target}.")]
    public static partial void RedisRejectedDetail(ILogger logger, string operation, string target);

    /// <summary>An invalidation Redis refused, replaced by one of the whole prefix: Debug with the target, a warning per episode.</summary>
    public static void InvalidationWidened(ILogger logger, LogEpisodes episodes, char kind, string target)
    {
        InvalidationWidenedDetail(logger, kind, target);
        if (episodes.Begins(16, kind, out var occurrences))
        {
            InvalidationWidenedEpisode(logger, kind, occurrences);
        }
    }

    /// <summary>An invalidation Redis refused even in its whole-prefix form: Debug with the target, an error per episode.</summary>
    public static void InvalidationDropped(ILogger logger, LogEpisodes episodes, char kind, string target)
    {
        InvalidationDroppedDetail(logger, kind, target);
        if (episodes.Begins(17, kind, out var occurrences))
        {
            InvalidationDroppedEpisode(logger, kind, occurrences);
        }
    }

    [LoggerMessage(16, LogLevel.Warning, "An invalidation of kind {Kind} was refused by Redis; the whole key prefix was invalidated instead; {Occurrences} since the last such warning. Each one is logged at Debug with its target.")]
    private static partial void InvalidationWidenedEpisode(ILogger logger, char kind, long occurrences);

    [LoggerMessage(23, LogLevel.Debug, "Invalidation {Kind} '{Target}' was refused by Redis; the whole key prefix was invalidated instead.")]
    private static partial void InvalidationWidenedDetail(ILogger logger, char kind, string target);

    [LoggerMessage(17, LogLevel.Error, "An invalidation of kind {Kind} was refused by Redis and dropped; other nodes keep their copies until they expire; {Occurrences} since the last such error. Each one is logged at Debug with its target.")]
    private static partial void InvalidationDroppedEpisode(ILogger logger, char kind, long occurrences);

    [LoggerMessage(24, LogLevel.Debug, "Invalidation {Kind} '{Target}' was refused by Redis and dropped.")]
    private static partial void InvalidationDroppedDetail(ILogger logger, char kind, string target);

    [LoggerMessage(18, LogLevel.Warning, "The Redis reference clock moved outside its error bounds (a clock step or a failover); this node's invalidation knowledge and L1 were reset.")]
    public static partial void ClockStepped(ILogger logger);

    [LoggerMessage(30, LogLevel.Debug, "The cache's source did not answer within the factory timeout; a stale value from {Tier} was served while the load goes on in the background.")]
    public static partial void FactoryTimedOutServingStale(ILogger logger, CacheTier tier);

    [LoggerMessage(31, LogLevel.Debug, "Background load of key {Key} failed; the entry stays as it was until it expires.")]
    public static partial void BackgroundLoadFailed(ILogger logger, string key, Exception exception);

    [LoggerMessage(14, LogLevel.Information, "Cache started: L1 {LocalState} ({LocalMb} MB), Redis {RedisState} at {Endpoint}, key prefix '{Prefix}'.")]
    public static partial void Started(ILogger logger, string localState, long localMb, string redisState, string endpoint, string prefix);
}
