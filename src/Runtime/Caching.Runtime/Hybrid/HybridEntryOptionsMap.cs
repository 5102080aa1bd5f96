using System.Runtime.CompilerServices;
using Microsoft.Extensions.Caching.Hybrid;

namespace Caching.Internal;

/// <summary>
/// Turns a call's <see cref="HybridCacheEntryOptions"/> and tags into the runtime's <see cref="CacheEntryOptions"/>,
/// merged with the defaults as Microsoft's DefaultHybridCache merges them: each property of the call wins when set;
/// a call's <c>Expiration</c> alone is its local expiration too, and a local expiration never exceeds the
/// expiration set beside it. Tagless results are kept per options instance (HybridCacheEntryOptions is immutable),
/// so a call with shared options allocates nothing here.
/// </summary>
internal sealed class HybridEntryOptionsMap
{
    private const string WildcardTag = "*";

    private readonly HybridCacheEntryOptions? _defaults;
    private readonly int? _maxValueBytes;
    private readonly CacheEntryOptions _forDefaults;
    private readonly ConditionalWeakTable<HybridCacheEntryOptions, CacheEntryOptions> _mapped = new();
    private readonly ConditionalWeakTable<HybridCacheEntryOptions, CacheEntryOptions>.CreateValueCallback _build;

    public HybridEntryOptionsMap(MultiLayerHybridCacheOptions options)
    {
        _defaults = options.DefaultEntryOptions;
        _maxValueBytes = options.MaximumPayloadBytes is { } limit ? (int)limit : null;
        _build = Build;
        _forDefaults = Build(null);
    }

    /// <summary>The flags in force: the call's when it sets any, else the defaults'.</summary>
    public HybridCacheEntryFlags Flags(HybridCacheEntryOptions? options) => options?.Flags ?? _defaults?.Flags ?? HybridCacheEntryFlags.None;

    /// <summary>The runtime options for a call without tags.</summary>
    public CacheEntryOptions Map(HybridCacheEntryOptions? options) => options is null ? _forDefaults : _mapped.GetValue(options, _build);

    /// <summary>The runtime options with the call's tags (validated as HybridCache does: no empty tag, no "*").</summary>
    public static CacheEntryOptions WithTags(CacheEntryOptions untagged, IEnumerable<string> tags)
    {
        var distinct = new List<string>();
        foreach (var tag in tags)
        {
            if (string.IsNullOrWhiteSpace(tag))
            {
                throw new ArgumentException("Tags cannot be empty.", nameof(tags));
            }

            if (tag == WildcardTag)
            {
                throw new ArgumentException($"The tag '{WildcardTag}' is reserved and cannot be used in this context.", nameof(tags));
            }

            if (!distinct.Contains(tag, StringComparer.Ordinal))
            {
                distinct.Add(tag);
            }
        }

        if (distinct.Count == 0)
        {
            return untagged;
        }

        return new CacheEntryOptions
        {
            LocalTtl = untagged.LocalTtl,
            RedisTtl = untagged.RedisTtl,
            CacheNull = untagged.CacheNull,
            Access = untagged.Access,
            MaxValueBytes = untagged.MaxValueBytes,
            Tags = distinct,
        };
    }

    private CacheEntryOptions Build(HybridCacheEntryOptions? options)
    {
        RequirePositive(options?.Expiration, nameof(HybridCacheEntryOptions.Expiration), nameof(options));
        RequirePositive(options?.LocalCacheExpiration, nameof(HybridCacheEntryOptions.LocalCacheExpiration), nameof(options));
        return new CacheEntryOptions
        {
            RedisTtl = options?.Expiration ?? _defaults?.Expiration,
            LocalTtl = LocalExpiration(options) ?? LocalExpiration(_defaults),
            Access = ToAccess(Flags(options)),
            MaxValueBytes = _maxValueBytes,

            // HybridCache caches what the factory returns, null included: the factory does not run again for it.
            CacheNull = true,
        };
    }

    private static TimeSpan? LocalExpiration(HybridCacheEntryOptions? options)
    {
        if (options?.LocalCacheExpiration is { } local)
        {
            return options.Expiration is { } overall && overall < local ? overall : local;
        }

        return options?.Expiration;
    }

    private static TierAccess ToAccess(HybridCacheEntryFlags flags)
    {
        var access = TierAccess.None;
        if ((flags & HybridCacheEntryFlags.DisableLocalCacheRead) != 0)
        {
            access |= TierAccess.NoLocalRead;
        }

        if ((flags & HybridCacheEntryFlags.DisableLocalCacheWrite) != 0)
        {
            access |= TierAccess.NoLocalWrite;
        }

        if ((flags & HybridCacheEntryFlags.DisableDistributedCacheRead) != 0)
        {
            access |= TierAccess.NoRedisRead;
        }

        if ((flags & HybridCacheEntryFlags.DisableDistributedCacheWrite) != 0)
        {
            access |= TierAccess.NoRedisWrite;
        }

        return access;
    }

    private static void RequirePositive(TimeSpan? value, string name, string parameter)
    {
        if (value is { } duration && duration <= TimeSpan.Zero)
        {
#pragma warning disable CA2208 // The caller's parameter is named: the options the HybridCache call passed.
            throw new ArgumentOutOfRangeException(parameter, duration, $"HybridCacheEntryOptions.{name} must be a positive duration.");
#pragma warning restore CA2208
        }
    }
}
