using System.Text.Json;
using System.Text.Json.Serialization;
using AotConsumer;
using Caching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// A consumer published with Native AOT: generated decorators, the runtime, and System.Text.Json through a
// source-generated context, with no reflection anywhere. Two "pods" (two hosts) run the cached calls; with Redis
// (--redis host:port) the second one reads what the first stored. It prints what happened and exits non-zero when
// that is not what caching promises.
var redis = args.Length == 2 && args[0] == "--redis" ? args[1] : null;
var run = Guid.NewGuid().ToString("N")[..8];

var (podA, sourceA, catalogA) = await StartPodAsync(redis);
var first = await catalogA.GetPriceAsync(run);
var second = await catalogA.GetPriceAsync(run);
var basket = await catalogA.GetBasketAsync(run);
basket.Items.Add("changed by this caller");
var basketAgain = await catalogA.GetBasketAsync(run);
await catalogA.UpdatePriceAsync(run);
var third = await catalogA.GetPriceAsync(run);

// Read again well after the invalidation: a load within the clock's error bound of one is returned uncached.
var other = await catalogA.GetPriceAsync(run + "-other");
var report = $"pod A: price loads={sourceA.PriceLoads} other={other.Amount} first={first.Amount} second={second.Amount} third={third.Amount}; " +
    $"basket loads={sourceA.BasketLoads} items={string.Join(",", basketAgain.Items)}";
var expected = "pod A: price loads=3 other=3 first=1 second=1 third=2; basket loads=1 items=a";

if (redis is not null)
{
    // Another pod: its L1 is empty, so what it gets without loading came through Redis and the JSON context.
    var (podB, sourceB, catalogB) = await StartPodAsync(redis);
    var price = await catalogB.GetPriceAsync(run + "-other");
    var basketB = await catalogB.GetBasketAsync(run);
    report += $" | pod B: price loads={sourceB.PriceLoads} amount={price.Amount}; basket loads={sourceB.BasketLoads} items={string.Join(",", basketB.Items)}";
    expected += " | pod B: price loads=0 amount=3; basket loads=0 items=a";
    await podB.StopAsync();
    podB.Dispose();
}

await podA.StopAsync();
podA.Dispose();
Console.WriteLine(report);
if (report != expected)
{
    Console.Error.WriteLine("expected: " + expected);
    return 1;
}

return 0;

static async Task<(IHost Host, Catalog Source, ICatalog Catalog)> StartPodAsync(string? redis)
{
    var builder = Host.CreateApplicationBuilder();
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    builder.Services.AddMultiLayerCache(builder.Configuration, options =>
    {
        options.KeyPrefix = "aot-consumer";
        options.RedisEnabled = redis is not null;
        options.RedisConnection = redis ?? options.RedisConnection;

        // Without reflection the serializer must be told the cached types: their source-generated context.
        options.JsonOptions = new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = AppJson.Default };
    });
    builder.Services.AddSingleton<Catalog>();
    builder.Services.AddSingleton<ICatalog>(sp => sp.GetRequiredService<Catalog>());
    builder.Services.AddCachingDecorators();
    var host = builder.Build();
    await host.StartAsync();
    return (host, host.Services.GetRequiredService<Catalog>(), host.Services.GetRequiredService<ICatalog>());
}

namespace AotConsumer
{
    /// <summary>An immutable price: L1 hits share it.</summary>
    public sealed record Price(string Id, decimal Amount);

    /// <summary>A mutable basket: L1 hits get the generated copy.</summary>
    public sealed class Basket
    {
        /// <summary>The items.</summary>
        public List<string> Items { get; set; } = [];
    }

    /// <summary>The cached service.</summary>
    public interface ICatalog
    {
        /// <summary>One price.</summary>
        [Cached("price:{id}")]
        Task<Price> GetPriceAsync(string id);

        /// <summary>One basket.</summary>
        [Cached("basket:{id}")]
        Task<Basket> GetBasketAsync(string id);

        /// <summary>Changes a price.</summary>
        [InvalidatesCache("price:{id}")]
        Task UpdatePriceAsync(string id);

        /// <summary>Empties a basket.</summary>
        [InvalidatesCache("basket:{id}")]
        Task ClearBasketAsync(string id);
    }

    /// <summary>The source: counts its loads.</summary>
    public sealed class Catalog : ICatalog
    {
        /// <summary>Price loads so far.</summary>
        public int PriceLoads { get; private set; }

        /// <summary>Basket loads so far.</summary>
        public int BasketLoads { get; private set; }

        /// <inheritdoc />
        public Task<Price> GetPriceAsync(string id) => Task.FromResult(new Price(id, ++PriceLoads));

        /// <inheritdoc />
        public Task<Basket> GetBasketAsync(string id)
        {
            BasketLoads++;
            return Task.FromResult(new Basket { Items = ["a"] });
        }

        /// <inheritdoc />
        public Task UpdatePriceAsync(string id) => Task.CompletedTask;

        /// <inheritdoc />
        public Task ClearBasketAsync(string id) => Task.CompletedTask;
    }

    /// <summary>The cached types, for System.Text.Json without reflection.</summary>
    [JsonSerializable(typeof(Price))]
    [JsonSerializable(typeof(Basket))]
    internal sealed partial class AppJson : JsonSerializerContext;
}
