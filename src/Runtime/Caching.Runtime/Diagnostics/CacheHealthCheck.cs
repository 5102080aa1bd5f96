using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Caching;

/// <summary>
/// Healthy when both tiers answer a set/get round trip; Degraded when Redis is enabled but unreachable (the cache
/// still serves from L1 and the source); the data says which tier failed and the counters so far.
/// </summary>
/// <param name="cache">The cache.</param>
public sealed class CacheHealthCheck(MultiLayerCache cache) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var localOk = cache.ProbeLocal();
        var redisOk = await cache.ProbeRedisAsync(cancellationToken).ConfigureAwait(false);
        var stats = cache.Stats();
        var data = new Dictionary<string, object>
        {
            ["local"] = cache.Options.LocalEnabled ? (localOk ? "ok" : "failed") : "disabled",
            ["redis"] = cache.Options.RedisEnabled ? (redisOk ? "ok" : "unreachable") : "disabled",
            ["pendingInvalidations"] = cache.PendingInvalidations,
            ["hitRate"] = stats.HitRate,
            ["errors"] = stats.Errors,
        };

        if (!localOk)
        {
            return HealthCheckResult.Unhealthy("The in-process cache failed a set/get round trip.", data: data);
        }

        return redisOk
            ? HealthCheckResult.Healthy("Cache tiers answer.", data)
            : HealthCheckResult.Degraded("Redis is unreachable; serving from the in-process cache and the source.", data: data);
    }
}
