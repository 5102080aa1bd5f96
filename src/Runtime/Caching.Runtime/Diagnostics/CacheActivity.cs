using System.Diagnostics;

namespace Caching;

/// <summary>The <see cref="ActivitySource"/> the cache traces with: add <see cref="SourceName"/> to your tracer to see loads, Redis calls and invalidations.</summary>
public static class CacheActivity
{
    /// <summary>The source name, "Caching".</summary>
    public const string SourceName = "Caching";

    internal static ActivitySource Source { get; } = new(SourceName);
}
