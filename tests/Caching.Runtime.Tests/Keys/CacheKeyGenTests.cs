using System.Globalization;
using Caching.Internal;
using Microsoft.Extensions.Time.Testing;

namespace Caching.Runtime.Tests.Keys;

/// <summary>The conventional key shapes of <see cref="CacheKeyGen"/>.</summary>
public sealed class CacheKeyGenTests
{
    [Fact]
    public void Resource_key_shape()
    {
        Assert.Equal("gpu:resource:instance:vast-123", new CacheKeyGen("gpu").Resource("instance", "vast-123"));
    }

    [Fact]
    public void List_key_shape_keeps_filters_in_the_order_given()
    {
        var keys = new CacheKeyGen("gpu");

        Assert.Equal("gpu:list:instances:status=available:region=us-west", keys.List("instances", ("status", "available"), ("region", "us-west")));
        Assert.Equal("gpu:list:instances:region=us-west:status=available", keys.List("instances", ("region", "us-west"), ("status", "available")));
        Assert.Equal("gpu:list:instances", keys.List("instances"));
    }

    [Fact]
    public void List_filter_values_are_formatted_invariantly_and_null_is_the_null_token()
    {
        using var scope = new CultureScope(new CultureInfo("de-DE"));

        var key = new CacheKeyGen("gpu").List("instances", ("minPrice", 0.5), ("gpus", new[] { 1, 2 }), ("region", null), ("since", new DateTimeOffset(2025, 1, 15, 0, 0, 0, TimeSpan.Zero)));

        Assert.Equal("gpu:list:instances:minPrice=0.5:gpus=(1,2):region=%N:since=2025-01-15T00%3A00%3A00.0000000+00%3A00", key);
    }

    [Fact]
    public void Timestamped_key_is_the_start_of_the_bucket_in_unix_seconds()
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(1736870400 + 1234);

        Assert.Equal("metrics:ts:requests:1736870400", new CacheKeyGen("metrics").Timestamped("requests", TimeSpan.FromHours(1), at));
        Assert.Equal("metrics:ts:requests:1736871600", new CacheKeyGen("metrics").Timestamped("requests", TimeSpan.FromMinutes(5), at));
        Assert.Equal("metrics:ts:requests:1736871634", new CacheKeyGen("metrics").Timestamped("requests", TimeSpan.FromMilliseconds(10), at));
    }

    [Fact]
    public void Timestamped_buckets_before_1970_round_down_too()
    {
        Assert.Equal("m:ts:x:-3600", new CacheKeyGen("m").Timestamped("x", TimeSpan.FromHours(1), DateTimeOffset.FromUnixTimeSeconds(-1)));
        Assert.Equal("m:ts:x:-3600", new CacheKeyGen("m").Timestamped("x", TimeSpan.FromHours(1), DateTimeOffset.FromUnixTimeSeconds(-3600)));
    }

    [Fact]
    public void Timestamped_without_an_instant_reads_the_clock()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1736870400 + 3599));
        var keys = new CacheKeyGen("metrics", time);

        var before = keys.Timestamped("requests", TimeSpan.FromHours(1));
        time.Advance(TimeSpan.FromSeconds(1));
        var after = keys.Timestamped("requests", TimeSpan.FromHours(1));

        Assert.Equal("metrics:ts:requests:1736870400", before);
        Assert.Equal("metrics:ts:requests:1736874000", after);
    }

    [Fact]
    public void Timestamped_rejects_a_non_positive_bucket()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CacheKeyGen("m").Timestamped("x", TimeSpan.Zero, DateTimeOffset.UnixEpoch));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CacheKeyGen("m").Timestamped("x", TimeSpan.FromSeconds(-1), DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void Query_key_sorts_parameters_so_their_order_does_not_matter()
    {
        var keys = new CacheKeyGen("api");

        Assert.Equal("api:query:search:q=gpu&region=us-west", keys.Query("search", ("region", "us-west"), ("q", "gpu")));
        Assert.Equal("api:query:search:q=gpu&region=us-west", keys.Query("search", ("q", "gpu"), ("region", "us-west")));
        Assert.Equal(
            keys.Query("search", ("b", 2), ("a", 1), ("c", 3)),
            keys.Query("search", new Dictionary<string, object?> { ["c"] = 3, ["a"] = 1, ["b"] = 2 }));
        Assert.Equal("api:query:search:B=1&a=2", keys.Query("search", ("a", 2), ("B", 1)));
    }

    [Fact]
    public void Separators_in_names_and_values_are_escaped()
    {
        var keys = new CacheKeyGen("api");

        Assert.Equal("api:query:search:q=a%26b%3Dc%3Ad", keys.Query("search", ("q", "a&b=c:d")));
        Assert.NotEqual(keys.Query("search", ("q", "a&b=c")), keys.Query("search", ("q", "a"), ("b", "c")));
        Assert.Equal("api:query:se%3Aarch:k%26ey=v", keys.Query("se:arch", ("k&ey", "v")));
        Assert.Equal("gpu:list:inst%3Aances:st%3Datus=a%3Ab", new CacheKeyGen("gpu").List("inst:ances", ("st=atus", "a:b")));
        Assert.Equal("gpu:resource:in%2Astance:vast%3A123%3F", new CacheKeyGen("gpu").Resource("in*stance", "vast:123?"));
        Assert.NotEqual(new CacheKeyGen("gpu").List("instances", ("status", "a:region=b")), new CacheKeyGen("gpu").List("instances", ("status", "a"), ("region", "b")));
    }

    [Fact]
    public void User_key_shape()
    {
        var keys = new CacheKeyGen("app");

        Assert.Equal("app:user:42", keys.User("42"));
        Assert.Equal("app:user:42:profile", keys.User("42", "profile"));
        Assert.Equal("app:user:42%3Aadmin", keys.User("42:admin"));
    }

    [Fact]
    public void The_prefix_is_escaped_and_must_not_be_blank()
    {
        Assert.Equal("a%3Ab", new CacheKeyGen("a:b").Prefix);
        Assert.Equal("a%3Ab:user:1", new CacheKeyGen("a:b").User("1"));
        Assert.Throws<ArgumentException>(() => new CacheKeyGen(" "));
        Assert.Throws<ArgumentNullException>(() => new CacheKeyGen(null!));
    }

    [Fact]
    public void Patterns_match_the_keys_of_their_kind_and_name_only()
    {
        var keys = new CacheKeyGen("gpu");

        Assert.Equal("gpu:list:instances:*", keys.Pattern("list", "instances"));
        Assert.Equal("gpu:list:*", keys.Pattern("list"));
        Assert.True(GlobPattern.IsMatch(keys.Pattern("list", "instances"), keys.List("instances", ("status", "available"))));
        Assert.False(GlobPattern.IsMatch(keys.Pattern("list", "instances"), keys.List("instances2", ("status", "available"))));
        Assert.True(GlobPattern.IsMatch(keys.Pattern("resource", "instance"), keys.Resource("instance", "vast-123")));
        Assert.False(GlobPattern.IsMatch(keys.Pattern("resource", "instance"), keys.Resource("instances", "vast-123")));
        Assert.True(GlobPattern.IsMatch(keys.Pattern("query", "search"), keys.Query("search", ("q", "x"))));
        Assert.True(GlobPattern.IsMatch(keys.Pattern("query", "search"), keys.Query("search")));
        Assert.True(GlobPattern.IsMatch(keys.Pattern("ts", "requests"), keys.Timestamped("requests", TimeSpan.FromHours(1), DateTimeOffset.UnixEpoch)));
        Assert.True(GlobPattern.IsMatch(keys.Pattern("list"), keys.List("instances")));
        Assert.Equal("gpu:list:a%2Ab:*", keys.Pattern("list", "a*b"));
    }

    [Fact]
    public void PatternsFor_cover_the_bare_key_and_its_children_but_not_longer_names()
    {
        var keys = new CacheKeyGen("gpu");
        bool Covered(IReadOnlyList<string> patterns, string key) => patterns.Any(p => GlobPattern.IsMatch(p, key));

        Assert.True(Covered(keys.PatternsFor("list", "instances"), keys.List("instances")));
        Assert.True(Covered(keys.PatternsFor("list", "instances"), keys.List("instances", ("status", "available"))));
        Assert.False(Covered(keys.PatternsFor("list", "instances"), keys.List("instances2")));
        Assert.True(Covered(keys.PatternsFor("user", "42"), keys.User("42")));
        Assert.True(Covered(keys.PatternsFor("user", "42"), keys.User("42", "profile")));
        Assert.False(Covered(keys.PatternsFor("user", "42"), keys.User("421")));
        Assert.False(GlobPattern.IsMatch(keys.Pattern("list", "instances"), keys.List("instances")));
    }
}
