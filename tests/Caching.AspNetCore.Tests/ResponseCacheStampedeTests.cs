using System.Net;
using Caching.AspNetCore.Tests.Infrastructure;

namespace Caching.AspNetCore.Tests;

/// <summary>
/// One endpoint run per cold key per node: the requests of a burst wait for one run and share its response. The
/// endpoint holds at a gate until every request of the burst has reached the application, so the burst really
/// overlaps the run, whatever the machine's speed.
/// </summary>
public sealed class ResponseCacheStampedeTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    private const int Burst = 200;

    private static string Prefix(string name) => "stampede-" + name + "-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Two_hundred_concurrent_requests_to_one_cold_url_run_the_endpoint_once()
    {
        await using var app = await TestApp.StartAsync(fixture.Redis, Prefix("one-node"));

        var requests = Enumerable.Range(0, Burst).Select(_ => app.Client.FetchAsync("/slow/1")).ToArray();
        await Until(() => app.Runs["arrived"] == Burst && app.Runs["slow"] >= 1);
        app.Gate.Open();
        var responses = await Task.WhenAll(requests);

        Assert.Equal(1, app.Runs["slow"]);
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.Response.StatusCode));
        Assert.All(responses, r => Assert.Equal("slow 1 run 1", r.Body));
        Assert.All(responses, r => Assert.Contains(r.Response.XCache(), new[] { "MISS", "HIT-LOCAL" }));
        Assert.Single(responses.Select(r => r.Response.Headers.ETag?.Tag).Distinct());
    }

    [Fact]
    public async Task Two_instances_sharing_Redis_run_the_endpoint_at_most_once_each()
    {
        var prefix = Prefix("two-nodes");
        var runsA = new EndpointRuns();
        var runsB = new EndpointRuns();
        await using var podA = await TestApp.StartAsync(fixture.Redis, prefix, runs: runsA);
        await using var podB = await TestApp.StartAsync(fixture.Redis, prefix, runs: runsB);

        var requests = Enumerable.Range(0, Burst)
            .Select(i => (i % 2 == 0 ? podA : podB).Client.FetchAsync("/slow/2"))
            .ToArray();
        // Nothing is stored while both gates are closed, so each node's leader misses Redis and enters the endpoint.
        await Until(() => runsA["arrived"] == Burst / 2 && runsB["arrived"] == Burst / 2 && runsA["slow"] == 1 && runsB["slow"] == 1);
        podA.Gate.Open();
        podB.Gate.Open();
        var responses = await Task.WhenAll(requests);

        Assert.Equal(1, runsA["slow"]);
        Assert.Equal(1, runsB["slow"]);
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.Response.StatusCode));
        Assert.All(responses, r => Assert.Matches("^slow 2 run 1$", r.Body));

        // After the burst both nodes answer from their memory, whichever stored last in Redis.
        Assert.Equal("HIT-LOCAL", (await podA.Client.FetchAsync("/slow/2")).Response.XCache());
        Assert.Equal("HIT-LOCAL", (await podB.Client.FetchAsync("/slow/2")).Response.XCache());
    }

    [Fact]
    public async Task Head_and_get_requests_share_one_run_whichever_comes_first()
    {
        await using var app = await TestApp.StartAsync(fixture.Redis, Prefix("head-get"));

        // A HEAD leads: the endpoint runs once, as a GET, and the GET waiters get its whole body.
        var head = app.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/slow-both/1"));
        await Until(() => app.Runs["slow-both"] == 1);
        var gets = Enumerable.Range(0, 20).Select(_ => app.Client.FetchAsync("/slow-both/1")).ToArray();
        await Until(() => app.Runs["arrived"] == 21);
        app.Gate.Open("1");
        using var headResponse = await head;
        var getResponses = await Task.WhenAll(gets);

        Assert.Equal(1, app.Runs["slow-both"]);
        Assert.Equal(HttpStatusCode.OK, headResponse.StatusCode);
        Assert.Equal("MISS", headResponse.XCache());
        Assert.Empty(await headResponse.Content.ReadAsByteArrayAsync());
        Assert.All(getResponses, r => Assert.Equal("slow-both 1 run 1 as GET", r.Body));
        Assert.Equal(getResponses[0].Body.Length, headResponse.Content.Headers.ContentLength);

        // And HEAD waits for a GET's run the same way.
        var get = app.Client.FetchAsync("/slow-both/2");
        await Until(() => app.Runs["slow-both"] == 2);
        var heads = Enumerable.Range(0, 20).Select(_ => app.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/slow-both/2"))).ToArray();
        await Until(() => app.Runs["arrived"] == 42);
        app.Gate.Open("2");
        var headResponses = await Task.WhenAll(heads);
        var (getResponse, getBody) = await get;

        Assert.Equal(2, app.Runs["slow-both"]);
        Assert.Equal("slow-both 2 run 2 as GET", getBody);
        Assert.All(headResponses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.All(headResponses, r => Assert.Equal(getBody.Length, r.Content.Headers.ContentLength));
        Assert.All(headResponses, r => Assert.Equal(getResponse.Headers.ETag, r.Headers.ETag));
        foreach (var r in headResponses)
        {
            r.Dispose();
        }
    }

    [Fact]
    public async Task Waiters_of_a_response_streamed_over_the_limit_run_the_endpoint_themselves()
    {
        const int size = 256 * 1024;
        const int waiters = 3;
        await using var app = await TestApp.StartAsync(fixture.Redis, Prefix("streamed"), maxValueBytes: 64 * 1024);

        // The leader's body streams: the endpoint is paused half-way and the first half is already here.
        using var leader = await app.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/big?size={size}"), HttpCompletionOption.ResponseHeadersRead);
        await using var leaderBody = await leader.Content.ReadAsStreamAsync();
        var received = new byte[size];
        var read = 0;
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while (read < size / 2)
            {
                read += await leaderBody.ReadAsync(received.AsMemory(read, (size / 2) - read), timeout.Token);
            }
        }

        var others = Enumerable.Range(0, waiters)
            .Select(_ => app.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/big?size={size}")))
            .ToArray();
        await Until(() => app.Runs["arrived"] == 1 + waiters);
        Assert.Equal(1, app.Runs["big"]);
        app.Gate.Open();
        int n;
        while ((n = await leaderBody.ReadAsync(received.AsMemory(read))) > 0)
        {
            read += n;
        }

        var responses = await Task.WhenAll(others);

        Assert.Equal(size, read);
        Assert.Equal(1 + waiters, app.Runs["big"]);
        foreach (var response in responses)
        {
            var body = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal(size, body.Length);
            Assert.Equal(31, body[^1]);
            Assert.Equal("MISS", response.XCache());
            response.Dispose();
        }
    }

    [Fact]
    public async Task Waiters_of_a_response_that_sets_a_cookie_get_their_own_run_and_their_own_cookie()
    {
        const int waiters = 10;
        await using var app = await TestApp.StartAsync(fixture.Redis, Prefix("cookie-burst"));
        var leader = app.Client.FetchAsync("/slow-cookie");
        await Until(() => app.Runs["slow-cookie"] == 1);
        var others = Enumerable.Range(0, waiters).Select(_ => app.Client.FetchAsync("/slow-cookie")).ToArray();
        await Until(() => app.Runs["arrived"] == 1 + waiters);
        app.Gate.Open();
        var responses = await Task.WhenAll(others.Prepend(leader));

        Assert.Equal(1 + waiters, app.Runs["slow-cookie"]);
        foreach (var (response, body) in responses)
        {
            var run = body["slow-cookie run ".Length..];
            Assert.Contains("session=of-run-" + run + ";", Assert.Single(response.Headers.GetValues("Set-Cookie")), StringComparison.Ordinal);
            Assert.Equal("MISS", response.XCache());
        }

        Assert.Equal(1 + waiters, responses.Select(r => r.Body).Distinct().Count());
    }

    [Fact]
    public async Task A_waiter_that_gives_up_does_not_cancel_the_run_for_the_others()
    {
        await using var app = await TestApp.StartAsync(fixture.Redis, Prefix("cancel-waiter"));
        var leader = app.Client.FetchAsync("/slow/3");
        await Until(() => app.Runs["slow"] == 1);
        using var giveUp = new CancellationTokenSource();
        var quitter = app.Client.GetAsync(new Uri("/slow/3", UriKind.Relative), giveUp.Token);
        var others = Enumerable.Range(0, 10).Select(_ => app.Client.FetchAsync("/slow/3")).ToArray();
        await Until(() => app.Runs["arrived"] == 12);

        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => quitter);
        app.Gate.Open();
        var (leaderResponse, leaderBody) = await leader;
        var responses = await Task.WhenAll(others);

        Assert.Equal(HttpStatusCode.OK, leaderResponse.StatusCode);
        Assert.Equal("slow 3 run 1", leaderBody);
        Assert.All(responses, r => Assert.Equal("slow 3 run 1", r.Body));
        Assert.Equal(1, app.Runs["slow"]);
    }

    [Fact]
    public async Task A_leader_whose_client_goes_away_does_not_fail_the_waiters()
    {
        await using var app = await TestApp.StartAsync(fixture.Redis, Prefix("cancel-leader"));
        using var giveUp = new CancellationTokenSource();
        var leader = app.Client.GetAsync(new Uri("/slow/4", UriKind.Relative), giveUp.Token);
        await Until(() => app.Runs["slow"] == 1);
        var others = Enumerable.Range(0, 10).Select(_ => app.Client.FetchAsync("/slow/4")).ToArray();
        await Until(() => app.Runs["arrived"] == 11);

        // The leader's request waits for its run (the run uses its context), so the gate opens before it ends.
        await giveUp.CancelAsync();
        app.Gate.Open();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leader);
        var responses = await Task.WhenAll(others);

        // Whether the abandoned run's response could still be shared depends on when the abort reached it; either
        // way every waiter gets a whole answer of its own key, and the endpoint ran at most once per waiter.
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.Response.StatusCode));
        Assert.All(responses, r => Assert.Matches(@"^slow 4 run \d+$", r.Body));
        Assert.InRange(app.Runs["slow"], 1, 11);
    }

    private static async Task Until(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
