using Caching.Internal;
using Microsoft.Extensions.Caching.Hybrid;

namespace Caching.Runtime.Tests.Hybrid;

/// <summary>HybridCacheEntryOptions and flags into the runtime's entry options, merged as Microsoft's DefaultHybridCache merges them.</summary>
public sealed class HybridEntryOptionsMapTests
{
    [Fact]
    public void Nothing_set_anywhere_leaves_the_runtimes_TTLs_and_caches_nulls()
    {
        var map = new HybridEntryOptionsMap(new MultiLayerHybridCacheOptions());

        var mapped = map.Map(null);

        Assert.Null(mapped.LocalTtl);
        Assert.Null(mapped.RedisTtl);
        Assert.True(mapped.CacheNull);
        Assert.Equal(TierAccess.None, mapped.Access);
        Assert.Null(mapped.MaxValueBytes);
    }

    [Fact]
    public void Expiration_is_Redis_and_LocalCacheExpiration_is_L1_never_beyond_the_expiration_beside_it()
    {
        var map = new HybridEntryOptionsMap(new MultiLayerHybridCacheOptions
        {
            DefaultEntryOptions = new HybridCacheEntryOptions { Expiration = TimeSpan.FromMinutes(30), LocalCacheExpiration = TimeSpan.FromMinutes(5) },
            MaximumPayloadBytes = 4096,
        });

        var defaults = map.Map(null);
        var onlyExpiration = map.Map(new HybridCacheEntryOptions { Expiration = TimeSpan.FromMinutes(2) });
        var onlyLocal = map.Map(new HybridCacheEntryOptions { LocalCacheExpiration = TimeSpan.FromMinutes(1) });
        var localBeyond = map.Map(new HybridCacheEntryOptions { Expiration = TimeSpan.FromMinutes(1), LocalCacheExpiration = TimeSpan.FromMinutes(10) });

        Assert.Equal((TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30)), (defaults.LocalTtl!.Value, defaults.RedisTtl!.Value));
        Assert.Equal(4096, defaults.MaxValueBytes);

        // A call's Expiration alone is its local expiration too (Microsoft: "keep in sync by default").
        Assert.Equal((TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(2)), (onlyExpiration.LocalTtl!.Value, onlyExpiration.RedisTtl!.Value));
        Assert.Equal((TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(30)), (onlyLocal.LocalTtl!.Value, onlyLocal.RedisTtl!.Value));
        Assert.Equal((TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)), (localBeyond.LocalTtl!.Value, localBeyond.RedisTtl!.Value));
    }

    [Theory]
    [InlineData(HybridCacheEntryFlags.DisableLocalCacheRead, (int)(TierAccess.NoLocalRead))]
    [InlineData(HybridCacheEntryFlags.DisableLocalCacheWrite, (int)(TierAccess.NoLocalWrite))]
    [InlineData(HybridCacheEntryFlags.DisableLocalCache, (int)(TierAccess.NoLocalRead | TierAccess.NoLocalWrite))]
    [InlineData(HybridCacheEntryFlags.DisableDistributedCacheRead, (int)(TierAccess.NoRedisRead))]
    [InlineData(HybridCacheEntryFlags.DisableDistributedCacheWrite, (int)(TierAccess.NoRedisWrite))]
    [InlineData(HybridCacheEntryFlags.DisableDistributedCache, (int)(TierAccess.NoRedisRead | TierAccess.NoRedisWrite))]
    [InlineData(HybridCacheEntryFlags.DisableUnderlyingData, (int)(TierAccess.None))]
    [InlineData(HybridCacheEntryFlags.DisableCompression, (int)(TierAccess.None))]
    public void Each_flag_maps_to_its_tier_directions(HybridCacheEntryFlags flags, int expected)
    {
        var map = new HybridEntryOptionsMap(new MultiLayerHybridCacheOptions());

        Assert.Equal((TierAccess)expected, map.Map(new HybridCacheEntryOptions { Flags = flags }).Access);
    }

    [Fact]
    public void A_calls_flags_replace_the_default_flags_and_unset_flags_inherit_them()
    {
        var map = new HybridEntryOptionsMap(new MultiLayerHybridCacheOptions
        {
            DefaultEntryOptions = new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableDistributedCache },
        });

        Assert.Equal(TierAccess.NoRedisRead | TierAccess.NoRedisWrite, map.Map(null).Access);
        Assert.Equal(TierAccess.NoRedisRead | TierAccess.NoRedisWrite, map.Map(new HybridCacheEntryOptions { Expiration = TimeSpan.FromMinutes(1) }).Access);
        Assert.Equal(TierAccess.NoLocalWrite, map.Map(new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableLocalCacheWrite }).Access);
        Assert.Equal(HybridCacheEntryFlags.DisableDistributedCache, map.Flags(null));
    }

    [Fact]
    public void Options_are_mapped_once_per_instance_and_tags_are_deduplicated()
    {
        var map = new HybridEntryOptionsMap(new MultiLayerHybridCacheOptions());
        var shared = new HybridCacheEntryOptions { Expiration = TimeSpan.FromMinutes(3) };

        var untagged = map.Map(shared);
        var tagged = HybridEntryOptionsMap.WithTags(untagged, ["a", "b", "a"]);

        Assert.Same(untagged, map.Map(shared));
        Assert.Same(map.Map(null), map.Map(null));
        Assert.Equal(["a", "b"], tagged.Tags);
        Assert.Equal(untagged.RedisTtl, tagged.RedisTtl);
        Assert.True(tagged.CacheNull);
        Assert.Same(untagged, HybridEntryOptionsMap.WithTags(untagged, []));
    }
}
