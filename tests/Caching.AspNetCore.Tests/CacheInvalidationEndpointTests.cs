using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Caching.AspNetCore.Tests.Infrastructure;

namespace Caching.AspNetCore.Tests;

/// <summary>POST /api/cache/invalidate: refused without authorization, 400 with a reason for bad input, effective on every instance.</summary>
public sealed class CacheInvalidationEndpointTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    private static string Prefix(string name) => "inv-" + name + "-" + Guid.NewGuid().ToString("N")[..8];

    private static HttpRequestMessage Invalidate(string json, string? user = "admin,cache-admin")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/cache/invalidate") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (user is not null)
        {
            request.Bearer(user);
        }

        return request;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("mallory")]
    public async Task Without_authorization_it_refuses_and_invalidates_nothing(string? user)
    {
        await using var app = await TestApp.StartAsync(fixture.Redis, Prefix("401"));
        await app.Client.FetchAsync("/items/1");

        using var response = await app.Client.SendAsync(Invalidate("""{"pattern":"*"}""", user));

        Assert.Equal(user is null ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("HIT-LOCAL", (await app.Client.FetchAsync("/items/1")).Response.XCache());
        Assert.True((await app.Cache.GetAsync<CachedResponse>(CacheKeyOf("/items/1"))).Found);
    }

    [Theory]
    [InlineData("""{"pattern":"http:[a-z]*"}""", "'['")]
    [InlineData("""{"pattern":""}""", "empty")]
    [InlineData("""{"pattern":"a\u0001b"}""", "Control character")]
    [InlineData("""{"pattern":"a*","tag":"t"}""", "not both")]
    [InlineData("""{}""", "pattern")]
    [InlineData("""{"tag":"   "}""", "tag is empty")]
    [InlineData("""{"pattern":42}""", "must be a string")]
    [InlineData("""{"keys":["a"]}""", "Unknown property")]
    [InlineData("""not json""", "not valid JSON")]
    [InlineData("""["*"]""", "JSON object")]
    [InlineData("", "empty")]
    public async Task Bad_requests_get_400_with_a_reason_and_invalidate_nothing(string json, string reason)
    {
        await using var app = await TestApp.StartAsync(fixture.Redis, Prefix("400"));
        await app.Client.FetchAsync("/items/1");

        using var response = await app.Client.SendAsync(Invalidate(json));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(reason, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("HIT-LOCAL", (await app.Client.FetchAsync("/items/1")).Response.XCache());
    }

    [Fact]
    public async Task A_pattern_invalidates_matching_responses_on_both_instances_and_only_those()
    {
        var prefix = Prefix("pattern");
        var runs = new EndpointRuns();
        await using var podA = await TestApp.StartAsync(fixture.Redis, prefix, runs: runs);
        await using var podB = await TestApp.StartAsync(fixture.Redis, prefix, runs: runs);
        var (_, oldBody) = await podA.Client.FetchAsync("/items/1");
        await podA.Client.FetchAsync("/both/1");
        Assert.Equal("HIT-REDIS", (await podB.Client.FetchAsync("/items/1")).Response.XCache());
        Assert.Equal("HIT-REDIS", (await podB.Client.FetchAsync("/both/1")).Response.XCache());
        Assert.Equal("HIT-LOCAL", (await podB.Client.FetchAsync("/items/1")).Response.XCache());

        using var response = await podA.Client.SendAsync(Invalidate("""{"pattern":"http:GET:/items/*"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("http:GET:/items/*", result.GetProperty("pattern").GetString());
        Assert.Equal(1, result.GetProperty("removed").GetInt64());
        var (afterA, afterABody) = await podA.Client.FetchAsync("/items/1");
        Assert.Equal("MISS", afterA.XCache());
        Assert.NotEqual(oldBody, afterABody);

        // Pod B's L1 hears about it through the backplane (bounded delay); it never serves the old body again.
        await Eventually(async () => (await podB.Client.FetchAsync("/items/1")).Body != oldBody);
        Assert.Equal(afterABody, (await podB.Client.FetchAsync("/items/1")).Body);

        // What the pattern does not match stays.
        Assert.Equal("HIT-LOCAL", (await podB.Client.FetchAsync("/both/1")).Response.XCache());
        Assert.Equal(1, runs["both"]);
    }

    [Fact]
    public async Task A_tag_invalidates_tagged_responses_on_both_instances()
    {
        var prefix = Prefix("tag");
        var runs = new EndpointRuns();
        await using var podA = await TestApp.StartAsync(fixture.Redis, prefix, runs: runs);
        await using var podB = await TestApp.StartAsync(fixture.Redis, prefix, runs: runs);
        await podB.Client.FetchAsync("/tagged/1");
        await podB.Client.FetchAsync("/items/1");
        Assert.Equal("HIT-REDIS", (await podA.Client.FetchAsync("/tagged/1")).Response.XCache());

        using var response = await podA.Client.SendAsync(Invalidate("""{"tag":"catalog"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("MISS", (await podA.Client.FetchAsync("/tagged/1")).Response.XCache());
        await Eventually(async () => (await podB.Client.FetchAsync("/tagged/1")).Response.XCache() is "MISS" or "HIT-REDIS");
        Assert.Equal("HIT-LOCAL", (await podB.Client.FetchAsync("/items/1")).Response.XCache());
    }

    private static string CacheKeyOf(string path) => "http:GET:" + path;

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(20);
        }

        Assert.Fail("The invalidation did not reach the other instance within 5 s.");
    }
}
