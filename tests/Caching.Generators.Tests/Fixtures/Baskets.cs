namespace Caching.Generators.Tests.Fixtures;

/// <summary>A mutable result: the generator picks ValueSharing.Copy, so callers never share one instance.</summary>
public sealed class Basket
{
    public int Id { get; set; }

    public List<string> Items { get; set; } = [];
}

public sealed record Receipt(int Id, decimal Total);

public interface IBaskets
{
    [Cached("basket:{id}")]
    ValueTask<Basket> GetAsync(int id);

    [Cached("receipt:{id}")]
    ValueTask<Receipt> ReceiptAsync(int id);
}

public sealed class Baskets : IBaskets
{
    public ValueTask<Basket> GetAsync(int id) => ValueTask.FromResult(new Basket { Id = id, Items = ["apple"] });

    public ValueTask<Receipt> ReceiptAsync(int id) => ValueTask.FromResult(new Receipt(id, 9.5m));
}
