using System.Collections.Concurrent;

namespace Caching.Generators.Tests.Infrastructure;

/// <summary>Runs code on one dedicated thread under a synchronization context that only that thread pumps, like a UI thread.</summary>
internal static class SingleThreaded
{
    public static Task<T> RunAsync<T>(Func<T> body)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            var context = new PumpContext();
            SynchronizationContext.SetSynchronizationContext(context);
            try
            {
                result.SetResult(body());
            }
            catch (Exception exception)
            {
                result.SetException(exception);
            }
        })
        {
            IsBackground = true,
        };
        thread.Start();
        return result.Task.WaitAsync(TimeSpan.FromSeconds(20));
    }

    /// <summary>Queues posted work and never runs it unless the thread pumps: a blocked thread deadlocks anything posted to it.</summary>
    private sealed class PumpContext : SynchronizationContext
    {
        private readonly BlockingCollection<(SendOrPostCallback, object?)> _queue = [];

        public override void Post(SendOrPostCallback d, object? state) => _queue.Add((d, state));
    }
}
