using Caching.Internal;

namespace Caching;

/// <summary>
/// Settings that follow configuration reloads: profiles, per-method overrides and kill switches, default TTLs and
/// fail-safe (<see cref="CacheSettings"/>). The rest (tiers, sizes, Redis, prefix, invalidation bounds) shape objects
/// built once, so a reload that changes them is reported, not applied.
/// </summary>
public sealed partial class MultiLayerCache
{
    private string _restartOnlyReported = string.Empty;

    /// <summary>Takes the reloaded options (already validated by the options system) from the next call on.</summary>
    internal void ApplySettings(MultiLayerCacheOptions reloaded)
    {
        _settings = CacheSettings.From(reloaded);
        Log.SettingsReloaded(_logger);
        // Once per change of the set: one reload can signal twice (its provider and the configuration root).
        var needRestart = string.Join(", ", RestartOnlyChanges(_options, reloaded));
        if (Interlocked.Exchange(ref _restartOnlyReported, needRestart) != needRestart && needRestart.Length > 0)
        {
            Log.SettingsNeedRestart(_logger, needRestart);
        }
    }

    private static List<string> RestartOnlyChanges(MultiLayerCacheOptions running, MultiLayerCacheOptions reloaded)
    {
        var changed = new List<string>();
        void Check<TValue>(string name, TValue before, TValue after)
        {
            if (!EqualityComparer<TValue>.Default.Equals(before, after))
            {
                changed.Add(name);
            }
        }

        Check("CACHE_LOCAL_ENABLED", running.LocalEnabled, reloaded.LocalEnabled);
        Check("CACHE_LOCAL_SIZE_MB", running.LocalSizeMb, reloaded.LocalSizeMb);
        Check("CACHE_LOCAL_EVICTION", running.LocalEviction, reloaded.LocalEviction);
        Check("CACHE_REDIS_ENABLED", running.RedisEnabled, reloaded.RedisEnabled);
        Check("CACHE_KEY_PREFIX", running.KeyPrefix, reloaded.KeyPrefix);
        Check("REDIS_POOL_SIZE", running.RedisPoolSize, reloaded.RedisPoolSize);
        Check("CACHE_REDIS_CONNECTION", running.RedisConnection, reloaded.RedisConnection);
        Check("Cache:UseRegisteredConnection", running.UseRegisteredConnection, reloaded.UseRegisteredConnection);
        Check("Cache:MaxValueBytes", running.MaxValueBytes, reloaded.MaxValueBytes);
        Check("Cache:RedisTimeout", running.RedisTimeout, reloaded.RedisTimeout);
        Check("Cache:BreakerFailureThreshold", running.BreakerFailureThreshold, reloaded.BreakerFailureThreshold);
        Check("Cache:BreakerDuration", running.BreakerDuration, reloaded.BreakerDuration);
        Check("Cache:StaleSetWindow", running.StaleSetWindow, reloaded.StaleSetWindow);
        Check("Cache:MaxEntryLifetime", running.MaxEntryLifetime, reloaded.MaxEntryLifetime);
        Check("Cache:IndexedPatterns", string.Join("\n", running.IndexedPatterns), string.Join("\n", reloaded.IndexedPatterns));
        return changed;
    }
}
