using Caching.Runtime.Tests.Infrastructure;

namespace Caching.Runtime.Tests;

public sealed class FlightCompletionTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task A_caller_arriving_after_a_load_finished_reads_again_instead_of_joining_it()
    {
        // Found by the benchmarks' command count: with SkipLocal every call must read Redis, yet 0.1-11% of
        // sequential calls issued no GET: they joined the previous call's load after it had completed, while it was
        // still registered. Such a caller can get a value that an invalidation removed in between.
        const int calls = 5000;
        var skipLocal = new CacheEntryOptions { SkipLocal = true };
        // The default 500 ms test timeout is for tests about outages; here one slow GET on a loaded CI machine would be
        // a fail-open miss that calls the factory, which is not what this test is about.
        await using var cache = CacheFactory.Create(fixture.Redis, CacheFactory.UniquePrefix("flight"), o => o.RedisTimeout = TimeSpan.FromSeconds(15));
        Assert.True(await cache.ProbeRedisAsync());
        var value = new UserProfile("42", "Ada", 10);
        await cache.SetAsync("k", value, skipLocal);
        var before = await fixture.Redis.CommandCallsAsync("get");

        // Off the test framework's synchronization context, as in a server: each call resumes on the thread pool.
        await Task.Run(async () =>
        {
            for (var i = 0; i < calls; i++)
            {
                Assert.Equal(value, await cache.GetOrSetAsync<UserProfile>("k", _ => throw new InvalidOperationException("not in Redis"), skipLocal));
            }
        });

        Assert.Equal(calls, await fixture.Redis.CommandCallsAsync("get") - before);
    }
}
