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
}
