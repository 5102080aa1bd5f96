using Microsoft.Extensions.Logging;

namespace Caching.Internal;

/// <summary>Messages about settings and wiring (event ids 40-49, apart from the tiers' messages).</summary>
internal static partial class Log
{
    // The message is the whole report: the exception that stops the host carries the same line.
    [LoggerMessage(40, LogLevel.Critical, "{Problem}")]
    public static partial void SettingsInvalid(ILogger logger, string problem);

    [LoggerMessage(41, LogLevel.Error, "Cache settings reload refused, the cache keeps the settings it runs with: {Problem}")]
    public static partial void SettingsReloadRejected(ILogger logger, string problem);

    [LoggerMessage(42, LogLevel.Information, "Cache settings reloaded: profiles, per-method settings, TTLs and fail-safe apply from the next call.")]
    public static partial void SettingsReloaded(ILogger logger);

    [LoggerMessage(43, LogLevel.Warning, "Cache settings reloaded, but {Settings} changed and only take effect when the application restarts.")]
    public static partial void SettingsNeedRestart(ILogger logger, string settings);

    [LoggerMessage(44, LogLevel.Information, "Redis: the cache shares the application's IConnectionMultiplexer ({Endpoint}); it opens no connection of its own and never disposes that one.")]
    public static partial void SharingConnection(ILogger logger, string endpoint);

    [LoggerMessage(45, LogLevel.Warning, "Redis: the cache shares the application's IConnectionMultiplexer ({Endpoint}), so CACHE_REDIS_CONNECTION / Cache:RedisConnection is ignored. Set Cache:UseRegisteredConnection=false to connect separately.")]
    public static partial void ConfiguredConnectionIgnored(ILogger logger, string endpoint);

    [LoggerMessage(46, LogLevel.Warning, "{Entries}: no cached method has this name, so the entry changes nothing. Names are the interface's simple name and the method's, such as IUserService.GetProfileAsync.")]
    public static partial void UnknownMethods(ILogger logger, string entries);
}
