using System.Net;
using System.Net.Http.Headers;
using Caching.AspNetCore.Tests.Infrastructure;

namespace Caching.AspNetCore.Tests;

/// <summary>The middleware on TestServer against a real Redis: what is served from which tier, and what is never stored.</summary>
public sealed class ResponseCacheMiddlewareTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    private static string Prefix(string name) => "http-" + name + "-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task First_get_is_MISS_then_HIT_LOCAL_with_the_same_body_and_one_endpoint_run()
    {
        await using var app = await TestApp.StartAsync(fixture.Redis, Prefix("miss-hit"));

        var (first, firstBody) = await app.Client.FetchAsync("/items/42");
        var (second, secondBody) = await app.Client.FetchAsync("/items/42");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("MISS", first.XCache());
        Assert.Equal("HIT-LOCAL", second.XCache());
        Assert.Equal(firstBody, secondBody);
        Assert.Equal(1, app.Runs["items"]);
        Assert.Equal(first.Content.Headers.ContentType, second.Content.Headers.ContentType);
        Assert.Equal(firstBody.Length, second.Content.Headers.ContentLength);
        Assert.NotNull(second.Headers.Age);
    }

    [Fact]
    public async Task A_second_instance_sharing_Redis_answers_HIT_REDIS_then_HIT_LOCAL()
    {
        var prefix = Prefix("two-pods");
        var runs = new EndpointRuns();
        await using var podA = await TestApp.StartAsync(fixture.Redis, prefix, runs: runs);
        await using var podB = await TestApp.StartAsync(fixture.Redis, prefix, runs: runs);

        var (a, aBody) = await podA.Client.FetchAsync("/items/7");
        var (b1, b1Body) = await podB.Client.FetchAsync("/items/7");
        var (b2, _) = await podB.Client.FetchAsync("/items/7");

        Assert.Equal("MISS", a.XCache());
        Assert.Equal("HIT-REDIS", b1.XCache());
        Assert.Equal("HIT-LOCAL", b2.XCache());
        Assert.Equal(aBody, b1Body);
        Assert.Equal(1, runs["items"]);
        Assert.Equal(a.Headers.ETag, b1.Headers.ETag);
    }

    [Fact]
    public async Task Different_paths_and_route_values_are_different_entries()
    {
        await using var app = await TestApp.StartAsync(fixture.Redis, Prefix("paths"));

        var (one, oneBody) = await app.Client.FetchAsync("/items/1");
        var (two, twoBody) = await app.Client.FetchAsync("/items/2");

        Assert.Equal("MISS", one.XCache());
        Assert.Equal("MISS", two.XCache());
        Assert.Contains("\"id\":\"1\"", oneBody, StringComparison.Ordinal);
        Assert.Contains("\"id\":\"2\"", twoBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_order_and_name_casing_share_an_entry_but_values_do_not()
    {
        await using var app = await TestApp.StartAsync(fixture.Redis, Prefix("query"));

        Assert.Equal("MISS", (await app.Client.FetchAsync("/query?b=2&a=1")).Response.XCache());
        Assert.Equal("HIT-LOCAL", (await app.Client.FetchAsync("/query?a=1&b=2")).Response.XCache());
        Assert.Equal("HIT-LOCAL", (await app.Client.FetchAsync("/query?A=1&B=2")).Response.XCache());

        // Values keep their case, and a repeated name keeps its order: both can change the answer.
        Assert.Equal("MISS", (await app.Client.FetchAsync("/query?a=X&b=2")).Response.XCache());
        Assert.Equal("MISS", (await app.Client.FetchAsync("/query?a=x&b=2")).Response.XCache());
        Assert.Equal("MISS", (await app.Client.FetchAsync("/query?a=1&a=2")).Response.XCache());
        Assert.Equal("MISS", (await app.Client.FetchAsync("/query?a=2&a=1")).Response.XCache());

        // An encoded separator inside a value cannot forge another query.
        Assert.Equal("MISS", (await app.Client.FetchAsync("/query?a=1%26b%3D2")).Response.XCache());
        Assert.Equal("MISS", (await app.Client.FetchAsync("/query?a=1%3Ab%3D2")).Response.XCache());
        Assert.Equal(7, app.Runs["query"]);
    }

    [Fact]
    public async Task Post_is_never_cached()
    {
        await using var app = await TestApp.StartAsync(fixture.Redis, Prefix("post"));

        for (var i = 0; i < 2; i++)
        {
            using var response = await app.Client.PostAsync(new Uri("/items", UriKind.Relative), null);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Null(response.XCache());
        }

        Assert.Equal(2, app.Runs["post"]);
    }

    [Theory]
    [InlineData("/missing", "missing", HttpStatusCode.NotFound)]
    [InlineData("/error", "error", HttpStatusCode.InternalServerError)]
    public async Task Non_2xx_responses_are_not_stored(string path, string endpoint, HttpStatusCode status)
    {
        await using var app = await TestApp.StartAsync(fixture.Redis, Prefix("status"));

        var (first, _) = await app.Client.FetchAsync(path);
        var (second, _) = await app.Client.FetchAsync(path);

        Assert.Equal(status, first.StatusCode);
        Assert.Equal(status, second.StatusCode);
        Assert.Equal("MISS", second.XCache());
        Assert.Equal(2, app.Runs[endpoint]);
    }

    [Theory]
    [InlineData("/cookie", "cookie")]
    [InlineData("/private", "private")]
    [InlineData("/nostore", "nostore")]
    [InlineData("/vary", "vary")]
    public async Task Responses_a_shared_cache_must_not_keep_are_not_stored(string path, string endpoint)
    {
        await using var app = await TestApp.StartAsync(fixture.Redis, Prefix("unsafe"));

        var (first, _) = await app.Client.FetchAsync(path);
        var (second, _) = await app.Client.FetchAsync(path);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("MISS", second.XCache());
        Assert.Equal(2, app.Runs[endpoint]);
    }

    [Fact]
    public async Task A_vary_header_the_key_covers_is_stored_per_value()
    {
        await using var app = await TestApp.StartAsync(fixture.Redis, Prefix("vary"));

        var (fr1, frBody) = await app.Client.FetchAsync("/vary-covered", r => r.Headers.AcceptLanguage.ParseAdd("fr"));
        var (de1, deBody) = await app.Client.FetchAsync("/vary-covered", r => r.Headers.AcceptLanguage.ParseAdd("de"));
        var (fr2, fr2Body) = await app.Client.FetchAsync("/vary-covered", r => r.Headers.AcceptLanguage.ParseAdd("fr"));

        Assert.Equal(new string?[] { "MISS", "MISS", "HIT-LOCAL" }, new[] { fr1.XCache(), de1.XCache(), fr2.XCache() });
        Assert.StartsWith("fr", frBody, StringComparison.Ordinal);
        Assert.StartsWith("de", deBody, StringComparison.Ordinal);
        Assert.Equal(frBody, fr2Body);
    }

    [Fact]
    public async Task Requests_with_credentials_are_neither_served_from_nor_stored_in_the_shared_cache()
    {
        await using var app = await TestApp.StartAsync(fixture.Redis, Prefix("creds"));
        var (anonymous, anonymousBody) = await app.Client.FetchAsync("/items/5");
        Assert.Equal("MISS", anonymous.XCache());

        var (withAuth, withAuthBody) = await app.Client.FetchAsync("/items/5", r => r.Bearer("alice"));
        var (withCookie, _) = await app.Client.FetchAsync("/items/5", r => r.Headers.Add("Cookie", "session=alice"));

        Assert.Null(withAuth.XCache());
        Assert.Null(withCookie.XCache());
        Assert.NotEqual(anonymousBody, withAuthBody);
        Assert.Equal(3, app.Runs["items"]);

        // Nor did they replace the anonymous entry.
        var (again, againBody) = await app.Client.FetchAsync("/items/5");
        Assert.Equal("HIT-LOCAL", again.XCache());
        Assert.Equal(anonymousBody, againBody);
    }

    [Fact]
    public async Task A_per_user_endpoint_caches_each_user_under_their_own_key()
    {
        await using var app = await TestApp.StartAsync(fixture.Redis, Prefix("per-user"));

        var (alice1, alice1Body) = await app.Client.FetchAsync("/me", r => r.Bearer("alice"));
        var (bob1, bob1Body) = await app.Client.FetchAsync("/me", r => r.Bearer("bob"));
        var (alice2, alice2Body) = await app.Client.FetchAsync("/me", r => r.Bearer("alice"));
        var (anonymous, _) = await app.Client.FetchAsync("/me");

        Assert.Equal(new string?[] { "MISS", "MISS", "HIT-LOCAL" }, new[] { alice1.XCache(), bob1.XCache(), alice2.XCache() });
        Assert.StartsWith("alice ", alice1Body, StringComparison.Ordinal);
        Assert.StartsWith("bob ", bob1Body, StringComparison.Ordinal);
        Assert.Equal(alice1Body, alice2Body);
        Assert.Null(anonymous.XCache());
    }

    [Fact]
    public async Task ETag_and_If_None_Match_answer_304_from_the_cache_and_on_a_miss()
    {
        await using var app = await TestApp.StartAsync(fixture.Redis, Prefix("etag"));
        var (first, _) = await app.Client.FetchAsync("/items/9");
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);

        var (hit, hitBody) = await app.Client.FetchAsync("/items/9", r => r.Headers.IfNoneMatch.Add(etag));
        Assert.Equal(HttpStatusCode.NotModified, hit.StatusCode);
        Assert.Equal("HIT-LOCAL", hit.XCache());
        Assert.Equal(etag, hit.Headers.ETag);
        Assert.Empty(hitBody);

        var (other, otherBody) = await app.Client.FetchAsync("/items/9", r => r.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"something-else\"")));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.NotEmpty(otherBody);

        Assert.Equal(1, app.Runs["items"]);
    }

    [Fact]
    public async Task A_conditional_request_that_leads_the_run_gets_304_and_the_entry_is_stored_whole()
    {
        await using var app = await TestApp.StartAsync(fixture.Redis, Prefix("etag-leader"));

        var (leader, leaderBody) = await app.Client.FetchAsync("/own-etag", r => r.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"v7\"")));
        var (next, nextBody) = await app.Client.FetchAsync("/own-etag");

        Assert.Equal(HttpStatusCode.NotModified, leader.StatusCode);
        Assert.Equal("MISS", leader.XCache());
        Assert.Empty(leaderBody);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal("HIT-LOCAL", next.XCache());
        Assert.Equal("own run 1", nextBody);
        Assert.Equal("text/plain; charset=utf-8", next.Content.Headers.ContentType?.ToString());
    }

    [Fact]
    public async Task An_endpoint_s_own_ETag_is_kept_and_matched()
    {
        await using var app = await TestApp.StartAsync(fixture.Redis, Prefix("own-etag"));
        var (first, _) = await app.Client.FetchAsync("/own-etag");
        Assert.Equal("\"v7\"", first.Headers.ETag?.Tag);

        var (second, _) = await app.Client.FetchAsync("/own-etag", r => r.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"v7\"")));

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Equal("HIT-LOCAL", second.XCache());
    }

    [Fact]
    public async Task With_the_opt_in_client_no_cache_revalidates_and_refreshes_the_entry()
    {
        await using var app = await TestApp.StartAsync(fixture.Redis, Prefix("no-cache"));
        var (_, firstBody) = await app.Client.FetchAsync("/honoring/3");

        var (refreshed, refreshedBody) = await app.Client.FetchAsync("/honoring/3", r => r.Headers.CacheControl = new CacheControlHeaderValue { NoCache = true });
        var (after, afterBody) = await app.Client.FetchAsync("/honoring/3");
        var (pragma, _) = await app.Client.FetchAsync("/honoring/3", r => r.Headers.Pragma.ParseAdd("no-cache"));

        Assert.Equal("MISS", refreshed.XCache());
        Assert.NotEqual(firstBody, refreshedBody);
        Assert.Equal("HIT-LOCAL", after.XCache());
        Assert.Equal(refreshedBody, afterBody);
        Assert.Equal("MISS", pragma.XCache());
        Assert.Equal(3, app.Runs["honoring"]);
    }

    [Fact]
    public async Task With_the_opt_in_a_revalidating_client_holding_the_current_version_gets_304_after_a_run()
    {
        await using var app = await TestApp.StartAsync(fixture.Redis, Prefix("no-cache-304"));
        await app.Client.FetchAsync("/own-etag");

        // /own-etag does not opt in: no-cache is answered from the entry.
        var (ignored, _) = await app.Client.FetchAsync("/own-etag", r =>
        {
            r.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"v7\""));
            r.Headers.CacheControl = new CacheControlHeaderValue { NoCache = true };
        });
        Assert.Equal(HttpStatusCode.NotModified, ignored.StatusCode);
        Assert.Equal("HIT-LOCAL", ignored.XCache());
        Assert.Equal(1, app.Runs["own-etag"]);

        var (first, _) = await app.Client.FetchAsync("/honoring/9");
        var (revalidated, _) = await app.Client.FetchAsync("/honoring/9", r =>
        {
            r.Headers.IfNoneMatch.Add(first.Headers.ETag!);
            r.Headers.CacheControl = new CacheControlHeaderValue { NoCache = true };
        });

        // The run's body differs (its run counter), so its ETag does too: a full 200.
        Assert.Equal("MISS", revalidated.XCache());
        Assert.Equal(HttpStatusCode.OK, revalidated.StatusCode);
        Assert.NotEqual(first.Headers.ETag, revalidated.Headers.ETag);
        Assert.Equal(2, app.Runs["honoring"]);
    }

    [Fact]
    public async Task With_the_opt_in_client_no_store_bypasses_the_cache()
    {
        await using var app = await TestApp.StartAsync(fixture.Redis, Prefix("no-store-honoured"));
        await app.Client.FetchAsync("/honoring/5");

        var (noStore, _) = await app.Client.FetchAsync("/honoring/5", r => r.Headers.CacheControl = new CacheControlHeaderValue { NoStore = true });
        var (after, _) = await app.Client.FetchAsync("/honoring/5");

        Assert.Null(noStore.XCache());
        Assert.Equal("HIT-LOCAL", after.XCache());
        Assert.Equal(2, app.Runs["honoring"]);
    }

    [Fact]
    public async Task Head_is_served_from_the_get_entry_without_a_body()
    {
        await using var app = await TestApp.StartAsync(fixture.Redis, Prefix("head"));
        var (get, getBody) = await app.Client.FetchAsync("/both/1");

        using var head = await app.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/both/1"));

        Assert.Equal("MISS", get.XCache());
        Assert.Equal("HIT-LOCAL", head.XCache());
        Assert.Equal(getBody.Length, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, app.Runs["both"]);
    }

    [Fact]
    public async Task A_response_over_MaxValueBytes_streams_through_and_is_not_stored()
    {
        const int size = 256 * 1024;
        await using var app = await TestApp.StartAsync(fixture.Redis, Prefix("big"), maxValueBytes: 64 * 1024);

        using var response = await app.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/big?size={size}"), HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var received = new byte[size];
        var read = 0;

        // The endpoint is paused half-way: the first half must already be here, so nothing buffered the whole body.
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            while (read < size / 2)
            {
                read += await body.ReadAsync(received.AsMemory(read, (size / 2) - read), timeout.Token);
            }
        }

        app.Gate.Open();
        int n;
        while ((n = await body.ReadAsync(received.AsMemory(read))) > 0)
        {
            read += n;
        }

        Assert.Equal(size, read);
        Assert.Equal("MISS", response.XCache());
        Assert.Equal(31, received[size - 1]);
        var (second, _) = await app.Client.FetchAsync($"/big?size={size}", _ => app.Gate.Open());
        Assert.Equal("MISS", second.XCache());
        Assert.Equal(2, app.Runs["big"]);
    }

    [Fact]
    public async Task Tagged_responses_are_dropped_by_tag_on_every_instance()
    {
        var prefix = Prefix("tags");
        var runs = new EndpointRuns();
        await using var podA = await TestApp.StartAsync(fixture.Redis, prefix, runs: runs);
        await using var podB = await TestApp.StartAsync(fixture.Redis, prefix, runs: runs);
        await podA.Client.FetchAsync("/tagged/1");

        // On a loaded machine a clock sample can start a new era while pod A's first load runs; that load then goes
        // out uncached (invalidation readme). Pod A serving its own entry means the entry is stored, in Redis too.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while ((await podA.Client.FetchAsync("/tagged/1")).Response.XCache() != "HIT-LOCAL" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal("HIT-REDIS", (await podB.Client.FetchAsync("/tagged/1")).Response.XCache());

        await podA.Cache.RemoveByTagAsync("catalog");

        var (afterB, _) = await podB.Client.FetchAsync("/tagged/1");
        Assert.Equal("MISS", afterB.XCache());
    }

    [Fact]
    public async Task A_custom_key_builder_decides_the_entry_and_null_means_not_cached()
    {
        await using var app = await TestApp.StartAsync(fixture.Redis, Prefix("custom"));

        var (a, aBody) = await app.Client.FetchAsync("/custom/a");
        var (b, bBody) = await app.Client.FetchAsync("/custom/b");
        var (skip1, _) = await app.Client.FetchAsync("/custom/skip");
        var (skip2, _) = await app.Client.FetchAsync("/custom/skip");

        Assert.Equal("MISS", a.XCache());
        Assert.Equal("HIT-LOCAL", b.XCache());
        Assert.Equal(aBody, bBody);
        Assert.Null(skip1.XCache());
        Assert.Null(skip2.XCache());
        Assert.Equal(3, app.Runs["custom"]);
    }

    [Fact]
    public async Task A_controller_action_with_the_attribute_is_cached()
    {
        await using var app = await TestApp.StartAsync(fixture.Redis, Prefix("controller"));

        var (first, firstBody) = await app.Client.FetchAsync("/controller/1");
        var (second, secondBody) = await app.Client.FetchAsync("/controller/1");

        Assert.Equal("MISS", first.XCache());
        Assert.Equal("HIT-LOCAL", second.XCache());
        Assert.Equal(firstBody, secondBody);
        Assert.Equal(1, app.Runs["controller"]);
    }

    [Fact]
    public async Task Without_Redis_the_middleware_serves_from_L1()
    {
        await using var app = await TestApp.StartAsync(redis: null, Prefix("no-redis"));

        var (first, _) = await app.Client.FetchAsync("/items/1");
        var (second, _) = await app.Client.FetchAsync("/items/1");

        Assert.Equal("MISS", first.XCache());
        Assert.Equal("HIT-LOCAL", second.XCache());
    }
}
