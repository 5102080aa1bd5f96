namespace Caching.Generators.Tests.Fixtures;

/// <summary>A generic annotated interface: the generator makes RepositoryCachingDecorator&lt;T&gt;.</summary>
public interface IRepository<T>
    where T : class
{
    [Cached("repo:{id}")]
    Task<T?> GetAsync(int id);

    [InvalidatesCache("repo:{id}")]
    Task SaveAsync(int id, T value);
}

public sealed class Repository<T> : IRepository<T>
    where T : class
{
    private readonly Dictionary<int, T> _rows = [];
    private int _reads;

    public int Reads => _reads;

    public Task<T?> GetAsync(int id)
    {
        Interlocked.Increment(ref _reads);
        lock (_rows)
        {
            return Task.FromResult(_rows.TryGetValue(id, out var value) ? value : null);
        }
    }

    public Task SaveAsync(int id, T value)
    {
        lock (_rows)
        {
            _rows[id] = value;
        }

        return Task.CompletedTask;
    }
}
