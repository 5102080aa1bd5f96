using Caching.Internal;
using Microsoft.Extensions.Logging;

namespace Caching.AspNetCore;

/// <summary>
/// The HTTP layer's messages. A response key holds the path and query, which can carry personal data: keys and
/// invalidation targets appear only at Debug; a failing cache is a warning once per episode (see <see cref="LogEpisodes"/>).
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "Response cache bypassed for {Path}: {Reason}.")]
    public static partial void Bypassed(ILogger logger, string path, string reason);

    [LoggerMessage(2, LogLevel.Debug, "Response for {Key} not stored: {Reason}.")]
    public static partial void NotStored(ILogger logger, string key, string reason);

    /// <summary>A lookup that threw: Debug with the key, a warning per episode of the exception's type.</summary>
    public static void LookupFailed(ILogger logger, LogEpisodes episodes, string key, Exception exception)
    {
        LookupFailedDetail(logger, key, exception);
        if (episodes.Begins(3, exception.GetType(), out var occurrences))
        {
            LookupFailedEpisode(logger, occurrences, exception);
        }
    }

    /// <summary>A store that threw: Debug with the key, a warning per episode of the exception's type.</summary>
    public static void StoreFailed(ILogger logger, LogEpisodes episodes, string key, Exception exception)
    {
        StoreFailedDetail(logger, key, exception);
        if (episodes.Begins(4, exception.GetType(), out var occurrences))
        {
            StoreFailedEpisode(logger, occurrences, exception);
        }
    }

    [LoggerMessage(3, LogLevel.Warning, "A response cache lookup failed; the endpoint answers instead; {Occurrences} since the last such warning. Each one is logged at Debug with its key.")]
    private static partial void LookupFailedEpisode(ILogger logger, long occurrences, Exception exception);

    [LoggerMessage(6, LogLevel.Debug, "Response cache lookup for {Key} failed; the endpoint answers instead.")]
    private static partial void LookupFailedDetail(ILogger logger, string key, Exception exception);

    [LoggerMessage(4, LogLevel.Warning, "A response cache store failed; the response is sent uncached; {Occurrences} since the last such warning. Each one is logged at Debug with its key.")]
    private static partial void StoreFailedEpisode(ILogger logger, long occurrences, Exception exception);

    [LoggerMessage(7, LogLevel.Debug, "Response cache store for {Key} failed; the response is sent uncached.")]
    private static partial void StoreFailedDetail(ILogger logger, string key, Exception exception);

    [LoggerMessage(5, LogLevel.Information, "Cache invalidation by {Kind} removed {Removed} Redis keys.")]
    public static partial void Invalidated(ILogger logger, string kind, long removed);

    [LoggerMessage(8, LogLevel.Debug, "Cache invalidation by {Kind} '{Target}' removed {Removed} Redis keys.")]
    public static partial void InvalidatedTarget(ILogger logger, string kind, string target, long removed);
}
