using Caching.Runtime.Tests.Infrastructure;

namespace Caching.Runtime.Tests;

public sealed class StampedeTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task A_thousand_concurrent_callers_on_a_cold_key_run_the_factory_once_per_instance()
    {
        var prefix = CacheFactory.UniquePrefix("stampede");
        await using var podA = CacheFactory.Create(fixture.Redis, prefix);
        await using var podB = CacheFactory.Create(fixture.Redis, prefix);
        var runs = 0;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async ValueTask<UserProfile> Load(CancellationToken ct)
        {
            Interlocked.Increment(ref runs);
            await gate.Task;
            return new UserProfile("1", "A", 1);
        }

        var callers = Enumerable.Range(0, 1000)
            .Select(i => Task.Run(() => (i % 2 == 0 ? podA : podB).GetOrSetAsync("hot", Load).AsTask()))
            .ToArray();
        await Task.Delay(200);
        gate.SetResult();
        var results = await Task.WhenAll(callers);

        Assert.InRange(runs, 1, 2);
        Assert.All(results, r => Assert.Equal("A", r.Name));
        Assert.Equal(500, podA.Stats().TotalRequests);
    }

    [Fact]
    public async Task A_caller_that_cancels_does_not_cancel_the_shared_load()
    {
        await using var cache = CacheFactory.Create(fixture.Redis, CacheFactory.UniquePrefix("cancel"));
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var factoryToken = CancellationToken.None;
        var runs = 0;
        async ValueTask<string> Load(CancellationToken ct)
        {
            Interlocked.Increment(ref runs);
            factoryToken = ct;
            await gate.Task;
            return "loaded";
        }

        using var impatient = new CancellationTokenSource();
        var cancelled = cache.GetOrSetAsync("k", Load, cancellationToken: impatient.Token).AsTask();
        var patient = cache.GetOrSetAsync("k", Load).AsTask();
        await Task.Delay(50);
        await impatient.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.False(factoryToken.IsCancellationRequested);
        gate.SetResult();
        Assert.Equal("loaded", await patient);
        Assert.Equal(1, runs);
        Assert.Equal("loaded", (await cache.GetAsync<string>("k")).Value);
    }

    [Fact]
    public async Task A_factory_that_throws_fails_every_waiter_and_caches_nothing()
    {
        var prefix = CacheFactory.UniquePrefix("throw");
        await using var cache = CacheFactory.Create(fixture.Redis, prefix);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = 0;
        async ValueTask<string> Failing(CancellationToken ct)
        {
            Interlocked.Increment(ref runs);
            await gate.Task;
            throw new InvalidOperationException("source down");
        }

        var waiters = Enumerable.Range(0, 50).Select(_ => cache.GetOrSetAsync("k", Failing).AsTask()).ToArray();
        await Task.Delay(50);
        gate.SetResult();

        foreach (var waiter in waiters)
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => waiter);
            Assert.Equal("source down", error.Message);
        }

        Assert.Equal(1, runs);
        Assert.False((await cache.GetAsync<string>("k")).Found);
        await using var redis = await fixture.Redis.ConnectAsync();
        Assert.False(await redis.GetDatabase().KeyExistsAsync(prefix + ":k"));
        Assert.Equal("ok", await cache.GetOrSetAsync("k", _ => ValueTask.FromResult("ok")));
    }

    [Fact]
    public async Task A_call_after_a_load_finished_never_reuses_that_load_when_nothing_was_cached()
    {
        await using var cache = CacheFactory.Create(fixture.Redis, CacheFactory.UniquePrefix("finished"));
        var runs = 0;

        // Null results are not cached: each sequential call must reach the source, never a finished flight.
        for (var i = 0; i < 200; i++)
        {
            await cache.GetOrSetAsync<string?>("k", _ => ValueTask.FromResult<string?>(Interlocked.Increment(ref runs) > 0 ? null : "x"));
        }

        Assert.Equal(200, runs);
    }
}
