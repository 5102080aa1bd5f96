using System.Diagnostics;
using Caching.Internal;

namespace Caching;

/// <summary>The <see cref="ActivitySource"/> the cache traces with: add <see cref="SourceName"/> to your tracer to see loads, Redis calls and invalidations.</summary>
public static class CacheActivity
{
    /// <summary>The source name, "Caching".</summary>
    public const string SourceName = "Caching";

    internal static ActivitySource Source { get; } = new(SourceName);

    /// <summary>
    /// A span for one Redis command the cache sends (a client span with OpenTelemetry's database attributes), or
    /// null when nobody listens. The key is not a tag: it is on the parent <c>cache.get_or_set</c> span already, and
    /// the Redis span is what trace backends index by server.
    /// </summary>
    internal static Activity? StartRedis(string name, string command, RedisServerAddress server)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(name, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("db.system.name", "redis");
            activity.SetTag("db.operation.name", command);
            activity.SetTag("server.address", server.Host);
            if (server.Port is { } port)
            {
                activity.SetTag("server.port", port);
            }
        }

        return activity;
    }

    /// <summary>Marks a Redis span failed: the cache went on without Redis (the caller did not fail).</summary>
    internal static void RedisFailed(Activity? activity, Exception? exception)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, exception is null ? "no connection" : exception.GetType().Name);
        activity.SetTag("error.type", exception?.GetType().FullName ?? "no_connection");
    }
}
