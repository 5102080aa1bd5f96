namespace Caching.Benchmarks;

/// <summary>
/// Dedicated threads that run one piece of work together and are reused across invocations: starting threads (or
/// queueing to the thread pool) inside the measurement would time the scheduler, not the caches.
/// </summary>
internal sealed class ThreadGang : IDisposable
{
    private readonly Thread[] _threads;
    private readonly Barrier _start;
    private readonly Barrier _done;
    private Action<int>? _work;
    private Exception? _failure;
    private volatile bool _stopping;

    public ThreadGang(int size)
    {
        _start = new Barrier(size + 1);
        _done = new Barrier(size + 1);
        _threads = new Thread[size];
        for (var i = 0; i < size; i++)
        {
            var index = i;
            _threads[i] = new Thread(() => Loop(index)) { IsBackground = true, Name = "bench-" + index };
            _threads[i].Start();
        }
    }

    /// <summary>Runs <paramref name="work"/> on every thread at once (with its index) and returns when all are done.</summary>
    public void Run(Action<int> work)
    {
        _work = work;
        _start.SignalAndWait();
        _done.SignalAndWait();
        if (Interlocked.Exchange(ref _failure, null) is { } failure)
        {
            throw new InvalidOperationException("a benchmark thread failed", failure);
        }
    }

    private void Loop(int index)
    {
        while (true)
        {
            _start.SignalAndWait();
            if (_stopping)
            {
                return;
            }

            try
            {
                _work!(index);
            }
            catch (Exception exception)
            {
                Interlocked.CompareExchange(ref _failure, exception, null);
            }

            _done.SignalAndWait();
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _start.SignalAndWait();
        foreach (var thread in _threads)
        {
            thread.Join();
        }

        _start.Dispose();
        _done.Dispose();
    }
}
