using System.Collections.Concurrent;

namespace Caching.Generators.Tests.Fixtures;

public enum Category
{
    Tools,
    Toys,
}

public sealed record Product(int Id, string Name, Category Category);

/// <summary>The "database" the pods share: what a source returns after an update.</summary>
public sealed class ProductDb
{
    public ConcurrentDictionary<int, Product> Rows { get; } = new();
}

/// <summary>An annotated service; the generator builds ProductCatalogCachingDecorator for it in this test assembly.</summary>
public interface IProductCatalog
{
    [Cached("product:{id}", LocalTtl = "5m", RedisTtl = "10m")]
    Task<Product?> GetAsync(int id, CancellationToken cancellationToken = default);

    [Cached("product:sync:{id}")]
    Product? Get(int id);

    [Cached("products:{category}")]
    ValueTask<IReadOnlyList<Product>> ListAsync(Category category);

    [Cached("product:maybe:{id}", CacheNull = true)]
    Task<Product?> FindAsync(int id);

    [Cached("product:name:{name}")]
    Task<Product?> ByNameAsync(string? name);

    [InvalidatesCache("product:{id}", "product:sync:{id}", "products:*")]
    Task RenameAsync(int id, string name, CancellationToken cancellationToken = default);

    [InvalidatesCache("product:*")]
    void Reset();

    [InvalidatesCache("product:{id}")]
    Task FailAsync(int id);

    int Version { get; }
}

/// <summary>A counting fake over <see cref="ProductDb"/>: every call that reaches it is counted by method.</summary>
public sealed class ProductCatalog(ProductDb db) : IProductCatalog, IDisposable
{
    private readonly ConcurrentDictionary<string, int> _calls = new();

    public bool Disposed { get; private set; }

    public int Version => 7;

    public int Calls(string method) => _calls.TryGetValue(method, out var count) ? count : 0;

    public Task<Product?> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        Count(nameof(GetAsync));
        return Task.FromResult(db.Rows.TryGetValue(id, out var product) ? product : null);
    }

    public Product? Get(int id)
    {
        Count(nameof(Get));
        return db.Rows.TryGetValue(id, out var product) ? product : null;
    }

    public ValueTask<IReadOnlyList<Product>> ListAsync(Category category)
    {
        Count(nameof(ListAsync));
        IReadOnlyList<Product> products = [.. db.Rows.Values.Where(p => p.Category == category).OrderBy(p => p.Id)];
        return ValueTask.FromResult(products);
    }

    public Task<Product?> FindAsync(int id)
    {
        Count(nameof(FindAsync));
        return Task.FromResult(db.Rows.TryGetValue(id, out var product) ? product : null);
    }

    public Task<Product?> ByNameAsync(string? name)
    {
        Count(nameof(ByNameAsync));
        return Task.FromResult(db.Rows.Values.FirstOrDefault(p => p.Name == (name ?? "(none)")));
    }

    public async Task RenameAsync(int id, string name, CancellationToken cancellationToken = default)
    {
        Count(nameof(RenameAsync));
        await Task.Yield();
        db.Rows.AddOrUpdate(id, _ => new Product(id, name, Category.Tools), (_, old) => old with { Name = name });
    }

    public void Reset()
    {
        Count(nameof(Reset));
        db.Rows.Clear();
    }

    public async Task FailAsync(int id)
    {
        Count(nameof(FailAsync));
        await Task.Yield();
        db.Rows.TryRemove(id, out _);
        throw new InvalidOperationException("the write failed");
    }

    public void Dispose() => Disposed = true;

    private void Count(string method) => _calls.AddOrUpdate(method, 1, (_, count) => count + 1);
}
