using Microsoft.Extensions.Logging;

namespace Caching.Internal;

/// <summary>
/// What the HybridCache facade logs. Event ids from 100 on, apart from the cache's own (<c>Diagnostics/Log.cs</c>).
/// Keys are never logged (they can hold personal data); a key's length and the reason are.
/// </summary>
internal static partial class HybridLog
{
    [LoggerMessage(100, LogLevel.Warning, "A HybridCache key was not cached: {Reason}. The factory runs on every call for such keys (logged once; later ones at Debug).")]
    public static partial void KeyNotCacheable(ILogger logger, string reason);

    [LoggerMessage(101, LogLevel.Debug, "A HybridCache key was not cached: {Reason}.")]
    public static partial void KeyNotCacheableAgain(ILogger logger, string reason);
}
