using Caching.Internal;

namespace Caching.Runtime.Tests.Internals;

/// <summary>Invalidations, their backplane messages, and the log that closes the stale-set race (DESIGN invariant 2).</summary>
public sealed class InvalidationTests
{
    [Fact]
    public void Nothing_is_invalidated_in_a_fresh_log()
    {
        var log = new InvalidationLog();

        Assert.Equal(0, log.CurrentEpoch);
        Assert.False(log.InvalidatedSince(0, "user:1", ["t"]));
    }

    [Fact]
    public void A_key_invalidation_concerns_that_key_only_and_only_for_loads_that_started_before_it()
    {
        var log = new InvalidationLog();
        var before = log.CurrentEpoch;

        log.Record(new Invalidation(InvalidationKind.Key, "user:1"));

        Assert.Equal(before + 1, log.CurrentEpoch);
        Assert.True(log.InvalidatedSince(before, "user:1", null));
        Assert.False(log.InvalidatedSince(before, "user:10", null));
        Assert.False(log.InvalidatedSince(before, "USER:1", null));
        Assert.False(log.InvalidatedSince(log.CurrentEpoch, "user:1", null));
    }

    [Fact]
    public void A_pattern_invalidation_concerns_the_keys_it_matches()
    {
        var log = new InvalidationLog();
        log.Record(new Invalidation(InvalidationKind.Pattern, "user:1:*"));

        Assert.True(log.InvalidatedSince(0, "user:1:profile", null));
        Assert.False(log.InvalidatedSince(0, "user:2:profile", null));
        Assert.False(log.InvalidatedSince(0, "user:1", null));
    }

    [Fact]
    public void A_tag_invalidation_concerns_entries_carrying_the_tag()
    {
        var log = new InvalidationLog();
        log.Record(new Invalidation(InvalidationKind.Tag, "tenant:7"));

        Assert.True(log.InvalidatedSince(0, "any", ["x", "tenant:7"]));
        Assert.False(log.InvalidatedSince(0, "tenant:7", null));
        Assert.False(log.InvalidatedSince(0, "any", []));
        Assert.False(log.InvalidatedSince(0, "any", ["tenant:70"]));
    }

    [Fact]
    public void A_clear_concerns_everything()
    {
        var log = new InvalidationLog();
        log.Record(new Invalidation(InvalidationKind.Key, "other"));
        var afterFirst = log.CurrentEpoch;
        log.Record(new Invalidation(InvalidationKind.Clear, string.Empty));

        Assert.True(log.InvalidatedSince(afterFirst, "any:key", null));
        Assert.True(log.InvalidatedSince(0, "any:key", ["t"]));
    }

    [Fact]
    public void Only_invalidations_after_the_epoch_count()
    {
        var log = new InvalidationLog();
        log.Record(new Invalidation(InvalidationKind.Key, "user:1"));
        var epoch = log.CurrentEpoch;
        for (var i = 0; i < 100; i++)
        {
            log.Record(new Invalidation(InvalidationKind.Key, "other:" + i));
        }

        Assert.False(log.InvalidatedSince(epoch, "user:1", null));
        Assert.True(log.InvalidatedSince(epoch - 1, "user:1", null));
        Assert.True(log.InvalidatedSince(epoch + 50, "other:99", null));
        Assert.False(log.InvalidatedSince(epoch + 50, "other:49", null));
    }

    [Fact]
    public void A_load_older_than_the_ring_is_conservatively_treated_as_invalidated()
    {
        var log = new InvalidationLog();
        var epoch = log.CurrentEpoch;
        for (var i = 0; i < 4095; i++)
        {
            log.Record(new Invalidation(InvalidationKind.Key, "other:" + i));
        }

        Assert.False(log.InvalidatedSince(epoch, "mine", null));

        log.Record(new Invalidation(InvalidationKind.Key, "other"));
        log.Record(new Invalidation(InvalidationKind.Key, "other"));

        Assert.True(log.InvalidatedSince(epoch, "mine", null));
        Assert.False(log.InvalidatedSince(log.CurrentEpoch - 10, "mine", null));
    }

    [Fact]
    public void Concurrent_records_are_all_counted_and_all_visible()
    {
        var log = new InvalidationLog();
        Parallel.For(0, 2000, i => log.Record(new Invalidation(InvalidationKind.Key, "k" + i)));

        Assert.Equal(2000, log.CurrentEpoch);
        Assert.True(log.InvalidatedSince(0, "k0", null));
        Assert.True(log.InvalidatedSince(0, "k1999", null));
        Assert.False(log.InvalidatedSince(0, "k2000", null));
    }

    [Theory]
    [InlineData('k', "user:1", "node|k|user:1")]
    [InlineData('p', "user:*", "node|p|user:*")]
    [InlineData('t', "tenant:7", "node|t|tenant:7")]
    [InlineData('c', "", "node|c|")]
    [InlineData('k', "a|b||c", "node|k|a|b||c")]
    public void Messages_round_trip(char kind, string text, string message)
    {
        var invalidation = new Invalidation((InvalidationKind)kind, text);

        Assert.Equal(message, invalidation.ToMessage("node"));
        Assert.True(Invalidation.TryParseMessage(message, out var sender, out var parsed));
        Assert.Equal("node", sender);
        Assert.Equal(invalidation, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("node")]
    [InlineData("|k|user:1")]
    [InlineData("node|k")]
    [InlineData("node|")]
    [InlineData("node||user:1")]
    [InlineData("node|kx|user:1")]
    [InlineData("node|x|user:1")]
    [InlineData("node|K|user:1")]
    [InlineData("node|k:user:1")]
    public void Malformed_messages_are_rejected(string message)
    {
        Assert.False(Invalidation.TryParseMessage(message, out _, out _));
    }
}
