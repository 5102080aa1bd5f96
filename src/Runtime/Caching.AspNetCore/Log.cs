using Microsoft.Extensions.Logging;

namespace Caching.AspNetCore;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "Response cache bypassed for {Path}: {Reason}.")]
    public static partial void Bypassed(ILogger logger, string path, string reason);

    [LoggerMessage(2, LogLevel.Debug, "Response for {Key} not stored: {Reason}.")]
    public static partial void NotStored(ILogger logger, string key, string reason);

    [LoggerMessage(3, LogLevel.Warning, "Response cache lookup for {Key} failed; the endpoint answers instead.")]
    public static partial void LookupFailed(ILogger logger, string key, Exception exception);

    [LoggerMessage(4, LogLevel.Warning, "Response cache store for {Key} failed; the response is sent uncached.")]
    public static partial void StoreFailed(ILogger logger, string key, Exception exception);

    [LoggerMessage(5, LogLevel.Information, "Cache invalidation by {Kind} '{Target}' removed {Removed} Redis keys.")]
    public static partial void Invalidated(ILogger logger, string kind, string target, long removed);
}
