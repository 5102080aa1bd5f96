namespace Caching.Runtime.Tests.Hybrid;

/// <summary>The underlying data of a test: returns the value it is told to and counts how often it was asked.</summary>
internal sealed class CountingSource<T>(T value)
{
    private int _runs;

    public T Value { get; set; } = value;

    public int Runs => Volatile.Read(ref _runs);

    public ValueTask<T> LoadAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _runs);
        return ValueTask.FromResult(Value);
    }
}
