using Microsoft.Extensions.Caching.Hybrid;

namespace Caching;

/// <summary>
/// Settings of the <see cref="HybridCache"/> that <c>AsHybridCache()</c> registers, named after Microsoft's
/// <c>HybridCacheOptions</c>. Everything else (tiers, TTL defaults, Redis, fail-safe) comes from
/// <see cref="MultiLayerCacheOptions"/>.
/// </summary>
public sealed class MultiLayerHybridCacheOptions
{
    /// <summary>
    /// Entry options for calls that pass none, merged per property: a call's non-null values win. Unset values fall
    /// back to <see cref="MultiLayerCacheOptions.RedisTtl"/> and <see cref="MultiLayerCacheOptions.LocalTtl"/>
    /// (<c>CACHE_REDIS_TTL</c>, <c>CACHE_LOCAL_TTL</c>), not to HybridCache's fixed 5 minutes.
    /// </summary>
    public HybridCacheEntryOptions? DefaultEntryOptions { get; set; }

    /// <summary>
    /// Values whose serialized form is larger are returned but not cached, in either tier (default: null, which is
    /// <see cref="MultiLayerCacheOptions.MaxValueBytes"/>, 1 MiB unless configured: HybridCache's default too).
    /// </summary>
    public long? MaximumPayloadBytes { get; set; }

    /// <summary>Longer keys are not cached: the factory runs on every call and a warning is logged (default 1,024 characters, as HybridCache).</summary>
    public int MaximumKeyLength { get; set; } = 1024;

    /// <summary>Checks the values and throws <see cref="CacheConfigurationException"/> naming the first bad one.</summary>
    public void Validate()
    {
        const string Name = nameof(MultiLayerHybridCacheOptions);
        if (MaximumKeyLength <= 0)
        {
            throw new CacheConfigurationException($"{Name}.{nameof(MaximumKeyLength)}", MaximumKeyLength.ToString(System.Globalization.CultureInfo.InvariantCulture), "a positive number of characters");
        }

        if (MaximumPayloadBytes is <= 0 or > int.MaxValue)
        {
            throw new CacheConfigurationException($"{Name}.{nameof(MaximumPayloadBytes)}", MaximumPayloadBytes.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), "a number of bytes from 1 to 2147483647, or null for MaxValueBytes");
        }

        RequirePositive(DefaultEntryOptions?.Expiration, $"{Name}.{nameof(DefaultEntryOptions)}.{nameof(HybridCacheEntryOptions.Expiration)}");
        RequirePositive(DefaultEntryOptions?.LocalCacheExpiration, $"{Name}.{nameof(DefaultEntryOptions)}.{nameof(HybridCacheEntryOptions.LocalCacheExpiration)}");
    }

    private static void RequirePositive(TimeSpan? value, string setting)
    {
        if (value is { } duration && duration <= TimeSpan.Zero)
        {
            throw new CacheConfigurationException(setting, duration.ToString("c", System.Globalization.CultureInfo.InvariantCulture), "a positive duration");
        }
    }
}
