using Caching.Internal;

namespace Caching.Runtime.Tests.Internals;

/// <summary>The L1 hit counter is striped per processor; striping must not lose or invent a single hit.</summary>
public sealed class StripedCounterTests
{
    [Fact]
    public async Task Concurrent_increments_from_more_threads_than_cores_are_all_counted()
    {
        var counter = new StripedCounter();
        const int threads = 16;
        const int perThread = 50_000;
        using var start = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(_ => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < perThread; i++)
            {
                counter.Increment();
            }
        }, TaskCreationOptions.LongRunning)).ToArray();

        // Read while they run: a sum never goes backwards.
        long last = 0;
        while (!workers.All(w => w.IsCompleted))
        {
            var now = counter.Read();
            Assert.True(now >= last, $"the count went from {last} to {now}");
            last = now;
        }

        await Task.WhenAll(workers);
        Assert.Equal((long)threads * perThread, counter.Read());
    }
}
