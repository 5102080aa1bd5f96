using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Caching.AspNetCore.Tests;

/// <summary>The default key: what must share an entry and what must not.</summary>
public sealed class ResponseCacheKeyTests
{
    private static string Key(string method, string path, string query = "")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        return ResponseCacheKey.Default(context);
    }

    [Fact]
    public void Query_order_and_name_casing_do_not_split_entries()
    {
        Assert.Equal(Key("GET", "/a", "?b=2&a=1"), Key("GET", "/a", "?a=1&b=2"));
        Assert.Equal(Key("GET", "/a", "?A=1"), Key("GET", "/a", "?a=1"));
        Assert.Equal("GET:/a:q:a=1&b=2", Key("GET", "/a", "?b=2&a=1"));
    }

    [Fact]
    public void Values_paths_and_repeated_name_order_split_entries()
    {
        Assert.NotEqual(Key("GET", "/a", "?a=X"), Key("GET", "/a", "?a=x"));
        Assert.NotEqual(Key("GET", "/Users/Bob"), Key("GET", "/users/bob"));
        Assert.NotEqual(Key("GET", "/a", "?a=1&a=2"), Key("GET", "/a", "?a=2&a=1"));
        Assert.NotEqual(Key("GET", "/a"), Key("GET", "/a", "?a="));
    }

    [Fact]
    public void Escaped_values_cannot_forge_separators_or_globs()
    {
        Assert.NotEqual(Key("GET", "/a", "?a=1&b=2"), Key("GET", "/a", "?a=1%26b%3D2"));
        var key = Key("GET", "/a:*", "?q=*%3A?");
        Assert.DoesNotContain('*', key);
        Assert.DoesNotContain('?', key);
        Assert.Equal("GET:/a%3A%2A:q:q=%2A%3A%3F", key);
    }

    [Fact]
    public void Head_shares_get_entries_and_other_methods_do_not()
    {
        Assert.Equal(Key("GET", "/a"), Key("HEAD", "/a"));
        Assert.NotEqual(Key("GET", "/a"), Key("POST", "/a"));
    }

    [Fact]
    public void A_very_long_query_value_is_hashed_in_its_segment()
    {
        var value = new string('v', 2000);

        var key = Key("GET", "/search", "?q=" + value + "&page=2");

        Assert.Equal("GET:/search:q:page=2&q=" + Hashed(value), key);
        Assert.Equal(key, Key("GET", "/search", "?page=2&q=" + value));
        Assert.NotEqual(key, Key("GET", "/search", "?q=" + value + "w&page=2"));
    }

    [Fact]
    public void Query_values_up_to_128_escaped_characters_are_kept_and_longer_ones_hashed()
    {
        var fits = new string('v', 128);
        var over = new string('v', 129);
        var escapedOver = new string('*', 43);

        Assert.Equal("GET:/s:q:q=" + fits, Key("GET", "/s", "?q=" + fits));
        Assert.Equal("GET:/s:q:q=" + Hashed(over), Key("GET", "/s", "?q=" + over));
        Assert.Equal("GET:/s:q:q=" + Hashed(CacheKey.Escape(escapedOver)), Key("GET", "/s", "?q=" + Uri.EscapeDataString(escapedOver)));
    }

    [Fact]
    public void A_long_query_name_is_hashed_too()
    {
        var name = new string('n', 300);

        Assert.Equal("GET:/s:q:" + Hashed(name) + "=1", Key("GET", "/s", "?" + name + "=1"));
    }

    [Fact]
    public async Task A_long_path_segment_is_hashed_alone_so_a_path_pattern_still_matches()
    {
        var id = new string('x', 500);
        var key = Key("GET", "/users/" + id + "/orders");

        Assert.Equal("GET:/users/" + Hashed(id) + "/orders", key);
        Assert.Equal("GET:/" + Hashed(new string('p', 150)), Key("GET", "/" + new string('p', 150)));
        Assert.Equal("GET:/a/b/c", Key("GET", "/a/b/c"));

        // The runtime's own matcher decides: a path pattern still removes the entry.
        await using var cache = new MultiLayerCache(new MultiLayerCacheOptions { KeyPrefix = "paths", RedisEnabled = false });
        await cache.SetAsync(key, "response");
        await cache.SetAsync("GET:/teams/" + Hashed(id) + "/orders", "other");
        Assert.Equal(1, await cache.InvalidatePatternAsync("GET:/users/*"));
        Assert.False((await cache.GetAsync<string>(key)).Found);
    }

    /// <summary>The hashed form computed independently: '#' and the first 16 bytes of SHA-256 over the escaped value's UTF-8.</summary>
    private static string Hashed(string escaped) =>
        "#" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(escaped)).AsSpan(0, 16));
}
