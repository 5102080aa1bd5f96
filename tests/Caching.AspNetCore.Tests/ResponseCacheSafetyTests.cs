using System.Net;
using System.Net.Http.Headers;
using Caching.AspNetCore.Tests.Infrastructure;

namespace Caching.AspNetCore.Tests;

/// <summary>
/// The findings of issue 10 about what one client's response can leak to another, and the client directives that
/// could force origin runs. Each test fails on the middleware as it was before the allow-list.
/// </summary>
public sealed class ResponseCacheSafetyTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    private static string Prefix(string name) => "safety-" + name + "-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task A_header_outside_the_allow_list_is_not_replayed_to_another_client()
    {
        await using var app = await TestApp.StartAsync(fixture.Redis, Prefix("allow-list"));

        var (first, _) = await app.Client.FetchAsync("/secret-header");
        var (second, secondBody) = await app.Client.FetchAsync("/secret-header");

        Assert.Equal("token-of-run-1", Assert.Single(first.Headers.GetValues("X-Session-Token")));
        Assert.Equal("HIT-LOCAL", second.XCache());
        Assert.Equal("secret-header run 1", secondBody);
        Assert.False(second.Headers.Contains("X-Session-Token"), "a header outside the allow-list was stored and replayed");

        // What describes the resource is kept.
        Assert.Equal("en", Assert.Single(second.Content.Headers.ContentLanguage));
        Assert.Equal(first.Content.Headers.ContentType, second.Content.Headers.ContentType);
    }

    [Fact]
    public async Task A_header_outside_the_allow_list_is_not_replayed_from_Redis_either()
    {
        var prefix = Prefix("allow-list-redis");
        var runs = new EndpointRuns();
        await using var podA = await TestApp.StartAsync(fixture.Redis, prefix, runs: runs);
        await using var podB = await TestApp.StartAsync(fixture.Redis, prefix, runs: runs);

        await podA.Client.FetchAsync("/secret-header");
        var (fromRedis, _) = await podB.Client.FetchAsync("/secret-header");

        Assert.Equal("HIT-REDIS", fromRedis.XCache());
        Assert.False(fromRedis.Headers.Contains("X-Session-Token"));
    }

    [Fact]
    public async Task A_response_whose_cookie_is_added_when_it_starts_is_not_stored()
    {
        await using var app = await TestApp.StartAsync(fixture.Redis, Prefix("late-cookie"));

        var (first, firstBody) = await app.Client.FetchAsync("/late-cookie");
        var (second, secondBody) = await app.Client.FetchAsync("/late-cookie");

        Assert.Contains("session=of-run-1", Assert.Single(first.Headers.GetValues("Set-Cookie")), StringComparison.Ordinal);
        Assert.Equal("late-cookie run 1", firstBody);
        Assert.Equal("MISS", second.XCache());
        Assert.Equal("late-cookie run 2", secondBody);
        Assert.Contains("session=of-run-2", Assert.Single(second.Headers.GetValues("Set-Cookie")), StringComparison.Ordinal);
        Assert.Equal(2, app.Runs["late-cookie"]);
    }

    [Fact]
    public async Task A_cookie_added_as_the_response_starts_by_a_middleware_outside_the_cache_prevents_storing()
    {
        await using var app = await TestApp.StartAsync(fixture.Redis, Prefix("outer-cookie"));

        var (first, _) = await app.Client.FetchAsync("/outer-cookie");
        var (second, secondBody) = await app.Client.FetchAsync("/outer-cookie");

        Assert.True(first.Headers.Contains("Set-Cookie"));
        Assert.Equal("MISS", second.XCache());
        Assert.Equal("outer-cookie run 2", secondBody);
        Assert.Equal(2, app.Runs["outer-cookie"]);
    }

    [Fact]
    public async Task A_header_the_policy_adds_is_stored_and_the_others_are_not()
    {
        await using var app = await TestApp.StartAsync(fixture.Redis, Prefix("stored-extra"));

        await app.Client.FetchAsync("/stored-extra");
        var (second, _) = await app.Client.FetchAsync("/stored-extra");

        Assert.Equal("HIT-LOCAL", second.XCache());
        Assert.Equal("build-7", Assert.Single(second.Headers.GetValues("X-Build")));
        Assert.False(second.Headers.Contains("X-Session-Token"));
    }

    [Theory]
    [InlineData("Set-Cookie")]
    [InlineData("set-cookie")]
    [InlineData("WWW-Authenticate")]
    [InlineData("Content-Length")]
    [InlineData("X-Cache")]
    public void A_policy_cannot_store_a_header_of_one_client_or_one_transmission(string name)
    {
        var builder = new ResponseCachePolicyBuilder(TimeSpan.FromMinutes(1));

        var error = Assert.Throws<ArgumentException>(() => builder.StoreHeader(name));

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
        Assert.Empty(builder.Build().StoredHeaders);
    }

    [Fact]
    public void The_attribute_carries_stored_headers_and_the_client_cache_control_opt_in()
    {
        var policy = new CacheResponseAttribute("1m") { StoredHeaders = ["X-Build"], HonorClientCacheControl = true }.Policy;
        var byDefault = new CacheResponseAttribute("1m").Policy;

        Assert.Equal(["X-Build"], policy.StoredHeaders);
        Assert.True(policy.HonorsClientCacheControl);
        Assert.False(byDefault.HonorsClientCacheControl);
    }

    [Fact]
    public async Task Client_no_cache_and_pragma_are_ignored_by_default()
    {
        await using var app = await TestApp.StartAsync(fixture.Redis, Prefix("no-cache-ignored"));
        var (_, firstBody) = await app.Client.FetchAsync("/items/3");

        var (noCache, noCacheBody) = await app.Client.FetchAsync("/items/3", r => r.Headers.CacheControl = new CacheControlHeaderValue { NoCache = true });
        var (pragma, _) = await app.Client.FetchAsync("/items/3", r => r.Headers.Pragma.ParseAdd("no-cache"));
        var (maxAge0, _) = await app.Client.FetchAsync("/items/3", r => r.Headers.CacheControl = new CacheControlHeaderValue { MaxAge = TimeSpan.Zero });

        Assert.Equal(new string?[] { "HIT-LOCAL", "HIT-LOCAL", "HIT-LOCAL" }, new[] { noCache.XCache(), pragma.XCache(), maxAge0.XCache() });
        Assert.Equal(firstBody, noCacheBody);
        Assert.Equal(1, app.Runs["items"]);
    }

    [Fact]
    public async Task Client_no_store_is_served_from_the_cache_by_default_and_what_it_gets_on_a_miss_is_not_stored()
    {
        await using var app = await TestApp.StartAsync(fixture.Redis, Prefix("no-store-served"));
        await app.Client.FetchAsync("/items/4");

        var (noStore, _) = await app.Client.FetchAsync("/items/4", r => r.Headers.CacheControl = new CacheControlHeaderValue { NoStore = true });
        var (coldNoStore, _) = await app.Client.FetchAsync("/items/5", r => r.Headers.CacheControl = new CacheControlHeaderValue { NoStore = true });
        var (afterCold, _) = await app.Client.FetchAsync("/items/5");

        Assert.Equal(HttpStatusCode.OK, noStore.StatusCode);
        Assert.Equal("HIT-LOCAL", noStore.XCache());
        Assert.Equal("MISS", coldNoStore.XCache());
        Assert.Equal("MISS", afterCold.XCache());
        Assert.Equal(3, app.Runs["items"]);
    }
}
