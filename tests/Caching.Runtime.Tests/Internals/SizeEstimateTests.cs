using Caching.Internal;
using Caching.Runtime.Tests.Infrastructure;

namespace Caching.Runtime.Tests.Internals;

/// <summary>
/// A shared value that only L1 keeps is not serialized on every store: its L1 size comes from sampled
/// serializations of its type. These pin when a store is measured, and that the L1 budget and MaxValueBytes still
/// hold on a real cache.
/// </summary>
public sealed class SizeEstimateTests
{
    [Fact]
    public void A_type_is_measured_until_eight_similar_sizes_then_one_store_in_sixteen()
    {
        var estimate = new SizeEstimate(maxValueBytes: 1024 * 1024);
        for (var i = 0; i < 7; i++)
        {
            Assert.False(estimate.TryEstimate(i + 1, out _));
            estimate.Record(200 + i);
        }

        Assert.False(estimate.TryEstimate(1, out _));
        estimate.Record(190);

        Assert.True(estimate.TryEstimate(1, out var charged));
        Assert.Equal(206, charged);
        Assert.False(estimate.TryEstimate(SizeEstimate.SampleEvery * 3, out _));
    }

    [Fact]
    public void A_type_whose_sizes_spread_or_come_near_the_limit_is_measured_every_time()
    {
        var spread = new SizeEstimate(maxValueBytes: 1024 * 1024);
        var large = new SizeEstimate(maxValueBytes: 8_000);
        for (var i = 0; i < 8; i++)
        {
            spread.Record(200);
            large.Record(1_100);
        }

        Assert.True(spread.TryEstimate(1, out _));
        spread.Record(700);

        Assert.False(spread.TryEstimate(1, out _));
        Assert.False(large.TryEstimate(1, out _));
    }

    [Fact]
    public async Task Shared_values_only_L1_keeps_are_charged_their_envelope_length()
    {
        await using var cache = CacheFactory.Create(null, CacheFactory.UniquePrefix("charged"));
        var options = new CacheEntryOptions { Sharing = ValueSharing.Share };
        var value = new UserProfile("42", new string('n', 100), 7);
        var length = CacheEnvelope.Measure(new SystemTextJsonCacheSerializer(), value, 0);

        for (var i = 0; i < 400; i++)
        {
            Assert.Same(value, await cache.GetOrSetAsync("p:" + i, _ => ValueTask.FromResult(value), options));
        }

        await Task.Delay(100);
        Assert.Equal(400L * length, cache.Stats().LocalSizeBytes);
        Assert.Equal(CacheTier.Local, (await cache.GetAsync<UserProfile>("p:399", options)).Tier);
    }

    /// <summary>
    /// The price of not serializing: an outlier of a type estimated as small can be kept once at the small charge
    /// (it never reaches Redis, which always gets real bytes). The first sampled outlier marks the type variable, and
    /// from then on every value of it is measured, so an oversize one is never cached again.
    /// </summary>
    [Fact]
    public async Task Once_a_sample_meets_an_outlier_every_value_of_the_type_is_measured_and_oversize_ones_are_not_cached()
    {
        await using var cache = CacheFactory.Create(null, CacheFactory.UniquePrefix("oversize"), o => o.MaxValueBytes = 4_000);
        var options = new CacheEntryOptions { Sharing = ValueSharing.Share };
        for (var i = 0; i < 40; i++)
        {
            await cache.GetOrSetAsync("small:" + i, _ => ValueTask.FromResult(new UserProfile("1", "n", i)), options);
        }

        var big = new UserProfile("1", new string('b', 10_000), 1);
        var cached = new bool[300];
        for (var i = 0; i < cached.Length; i++)
        {
            await cache.GetOrSetAsync("big:" + i, _ => ValueTask.FromResult(big), options);
            cached[i] = (await cache.GetAsync<UserProfile>("big:" + i, options)).Found;
        }

        // One store in 16 is sampled: the chance that none of the first 200 was is (15/16)^200, about 2.5e-6.
        Assert.DoesNotContain(true, cached[200..]);
        Assert.True(cached.Count(c => c) < 200, "outliers kept before the type was found variable: at most until the first sample");
        Assert.Equal(CacheTier.Local, (await cache.GetAsync<UserProfile>("small:39", options)).Tier);
    }
}
