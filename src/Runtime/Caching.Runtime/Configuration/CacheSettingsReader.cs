using System.Globalization;
using Caching.Templates;
using Microsoft.Extensions.Configuration;

namespace Caching;

/// <summary>
/// Reads <see cref="MultiLayerCacheOptions"/> from the <c>Cache</c> section and the <c>CACHE_*</c> variables.
/// Precedence, lowest first: defaults, <c>Cache:*</c>, a root configuration key named like the variable, the
/// process environment. A value that does not parse is an error naming the variable, never a silent default.
/// <c>Cache:Profiles:{name}</c> and <c>Cache:Methods:{Interface.Method}</c> have one shape (<see cref="CacheProfile"/>).
/// </summary>
internal static class CacheSettingsReader
{
    public const string SectionName = "Cache";

    public static void Apply(MultiLayerCacheOptions options, IConfiguration? configuration, Func<string, string?> environment)
    {
        var section = configuration?.GetSection(SectionName);

        string? Read(string variable, string sectionKey)
        {
            var fromEnvironment = environment(variable);
            if (!string.IsNullOrWhiteSpace(fromEnvironment))
            {
                return fromEnvironment;
            }

            var fromRoot = configuration?[variable];
            if (!string.IsNullOrWhiteSpace(fromRoot))
            {
                return fromRoot;
            }

            return section?[sectionKey];
        }

        ReadBool(Read("CACHE_LOCAL_ENABLED", "LocalEnabled"), "CACHE_LOCAL_ENABLED", v => options.LocalEnabled = v);
        ReadLong(Read("CACHE_LOCAL_SIZE_MB", "LocalSizeMb"), "CACHE_LOCAL_SIZE_MB", v => options.LocalSizeMb = v);
        ReadDuration(Read("CACHE_LOCAL_TTL", "LocalTtl"), "CACHE_LOCAL_TTL", v => options.LocalTtl = v);
        ReadDuration(Read("CACHE_LOCAL_EVICTION", "LocalEviction"), "CACHE_LOCAL_EVICTION", v => options.LocalEviction = v);
        ReadBool(Read("CACHE_REDIS_ENABLED", "RedisEnabled"), "CACHE_REDIS_ENABLED", v => options.RedisEnabled = v);
        ReadDuration(Read("CACHE_REDIS_TTL", "RedisTtl"), "CACHE_REDIS_TTL", v => options.RedisTtl = v);
        var prefix = Read("CACHE_KEY_PREFIX", "KeyPrefix");
        if (!string.IsNullOrWhiteSpace(prefix))
        {
            options.KeyPrefix = prefix.Trim();
        }

        ReadLong(Read("REDIS_POOL_SIZE", "RedisPoolSize"), "REDIS_POOL_SIZE", v => options.RedisPoolSize = (int)Math.Clamp(v, int.MinValue, int.MaxValue));
        var connection = Read("CACHE_REDIS_CONNECTION", "RedisConnection");
        if (!string.IsNullOrWhiteSpace(connection))
        {
            options.RedisConnection = connection.Trim();
        }

        ReadLong(section?["MaxValueBytes"], "Cache:MaxValueBytes", v => options.MaxValueBytes = (int)Math.Clamp(v, int.MinValue, int.MaxValue));
        ReadDuration(section?["RedisTimeout"], "Cache:RedisTimeout", v => options.RedisTimeout = v);
        ReadLong(section?["BreakerFailureThreshold"], "Cache:BreakerFailureThreshold", v => options.BreakerFailureThreshold = (int)Math.Clamp(v, int.MinValue, int.MaxValue));
        ReadDuration(section?["BreakerDuration"], "Cache:BreakerDuration", v => options.BreakerDuration = v);
        ReadBool(section?["FailSafe"], "Cache:FailSafe", v => options.FailSafe = v);
        ReadDuration(section?["FailSafeMaxDuration"], "Cache:FailSafeMaxDuration", v => options.FailSafeMaxDuration = v);
        ReadDuration(section?["StaleSetWindow"], "Cache:StaleSetWindow", v => options.StaleSetWindow = v);
        ReadDuration(section?["MaxEntryLifetime"], "Cache:MaxEntryLifetime", v => options.MaxEntryLifetime = v);
        ReadDuration(section?["FactorySoftTimeout"], "Cache:FactorySoftTimeout", v => options.FactorySoftTimeout = v);
        ReadDuration(section?["FactoryHardTimeout"], "Cache:FactoryHardTimeout", v => options.FactoryHardTimeout = v);
        ReadFraction(section?["EagerRefreshThreshold"], "Cache:EagerRefreshThreshold", v => options.EagerRefreshThreshold = v);
        ReadDuration(section?["JitterMaxDuration"], "Cache:JitterMaxDuration", v => options.JitterMaxDuration = v);
        ReadBool(section?["DistributedLock"], "Cache:DistributedLock", v => options.DistributedLock = v);
        ReadBool(section?["TraceKeys"], "Cache:TraceKeys", v => options.TraceKeys = v);
        ReadDuration(section?["DistributedLockLease"], "Cache:DistributedLockLease", v => options.DistributedLockLease = v);
        ReadBool(section?["UseRegisteredConnection"], "Cache:UseRegisteredConnection", v => options.UseRegisteredConnection = v);

        if (section is not null)
        {
            foreach (var pattern in section.GetSection("IndexedPatterns").GetChildren())
            {
                if (!string.IsNullOrWhiteSpace(pattern.Value) && !options.IndexedPatterns.Contains(pattern.Value))
                {
                    options.IndexedPatterns.Add(pattern.Value);
                }
            }

            ReadEntries(section.GetSection("Profiles"), "Cache:Profiles:", options.Profiles);
            ReadEntries(section.GetSection("Methods"), "Cache:Methods:", options.Methods);
        }
    }

    private static void ReadEntries(IConfigurationSection parent, string path, IDictionary<string, CacheProfile> entries)
    {
        foreach (var entrySection in parent.GetChildren())
        {
            var name = entrySection.Key;
            var entryPath = path + name;
            var entry = entries.TryGetValue(name, out var existing) ? existing : new CacheProfile();
            ReadDuration(entrySection["LocalTtl"], entryPath + ":LocalTtl", v => entry.LocalTtl = v);
            ReadDuration(entrySection["RedisTtl"], entryPath + ":RedisTtl", v => entry.RedisTtl = v);
            ReadBool(entrySection["SkipLocal"], entryPath + ":SkipLocal", v => entry.SkipLocal = v);
            ReadBool(entrySection["SkipRedis"], entryPath + ":SkipRedis", v => entry.SkipRedis = v);
            ReadBool(entrySection["FailSafe"], entryPath + ":FailSafe", v => entry.FailSafe = v);
            ReadBool(entrySection["Enabled"], entryPath + ":Enabled", v => entry.Enabled = v);
            ReadDuration(entrySection["FactorySoftTimeout"], entryPath + ":FactorySoftTimeout", v => entry.FactorySoftTimeout = v);
            ReadDuration(entrySection["FactoryHardTimeout"], entryPath + ":FactoryHardTimeout", v => entry.FactoryHardTimeout = v);
            ReadFraction(entrySection["EagerRefreshThreshold"], entryPath + ":EagerRefreshThreshold", v => entry.EagerRefreshThreshold = v);
            ReadDuration(entrySection["JitterMaxDuration"], entryPath + ":JitterMaxDuration", v => entry.JitterMaxDuration = v);
            ReadBool(entrySection["DistributedLock"], entryPath + ":DistributedLock", v => entry.DistributedLock = v);
            entries[name] = entry;
        }
    }

    private static void ReadBool(string? text, string name, Action<bool> assign)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return;
        }

        switch (text.Trim().ToLowerInvariant())
        {
            case "true" or "1" or "yes" or "on":
                assign(true);
                break;
            case "false" or "0" or "no" or "off":
                assign(false);
                break;
            default:
                throw new CacheConfigurationException(name, text, "true or false");
        }
    }

    private static void ReadLong(string? text, string name, Action<long> assign)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return;
        }

        if (!long.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            throw new CacheConfigurationException(name, text, "a whole number");
        }

        assign(value);
    }

    private static void ReadFraction(string? text, string name, Action<double> assign)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return;
        }

        if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value is <= 0 or >= 1)
        {
            throw new CacheConfigurationException(name, text, "a fraction between 0 and 1 (exclusive), such as 0.8");
        }

        assign(value);
    }

    private static void ReadDuration(string? text, string name, Action<TimeSpan> assign)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return;
        }

        if (!DurationText.TryParse(text, out var value))
        {
            throw new CacheConfigurationException(name, text, DurationText.Expected);
        }

        assign(value);
    }
}
