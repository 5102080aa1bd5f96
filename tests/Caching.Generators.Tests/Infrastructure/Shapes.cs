namespace Caching.Generators.Tests.Infrastructure;

/// <summary>Consumer sources, one per shape the generator must handle. Each is compiled with the generator in the tests.</summary>
internal static class Shapes
{
    public const string Basic = """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Caching;

        namespace Shop.Users;

        public enum UserStatus { Active, Suspended }

        public sealed class UserProfile
        {
            public string Id { get; set; } = "";
            public string Name { get; set; } = "";
        }

        public sealed record UserSummary(string Id, string Name, UserStatus Status);

        public sealed record ProfileUpdate(string Name);

        public interface IUserService
        {
            [Cached("user:{userId}:profile", LocalTtl = "5m", RedisTtl = "30m")]
            Task<UserProfile?> GetProfileAsync(string userId, CancellationToken ct = default);

            [Cached("users:list:{status}", Profile = "fast-changing")]
            Task<IReadOnlyList<UserSummary>> ListAsync(UserStatus status, CancellationToken ct = default);

            [InvalidatesCache("user:{userId}:*", "users:list:*")]
            Task UpdateProfileAsync(string userId, ProfileUpdate update, CancellationToken ct = default);

            Task<int> CountAsync(CancellationToken ct = default);
        }
        """;

    public const string ReturnTypes = """
        using System.Threading;
        using System.Threading.Tasks;
        using Caching;

        namespace Shop.Prices;

        public sealed record Price(string Sku, decimal Amount);

        public interface IPriceService
        {
            [Cached("price:{sku}")]
            ValueTask<Price> GetAsync(string sku, CancellationToken cancellationToken);

            [Cached("price:sync:{sku}", LocalTtl = "00:00:30")]
            Price Get(string sku);

            [Cached("price:maybe:{sku}", CacheNull = true)]
            Task<Price?> FindAsync(string sku);

            [Cached("price:count")]
            int Count();

            [InvalidatesCache("price:{sku}")]
            Task SetAsync(string sku, decimal amount, CancellationToken cancellationToken);

            [InvalidatesCache("price:*")]
            ValueTask ClearAsync();

            [InvalidatesCache("price:sync:{sku}", "price:maybe:{sku}")]
            void Set(string sku, decimal amount);

            [InvalidatesCache("price:{sku}")]
            Task<Price> ReplaceAsync(string sku, Price price);

            [InvalidatesCache("price:count")]
            bool Remove(string sku);
        }
        """;

    public const string Parameters = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Caching;

        namespace Shop.Search;

        public enum Region { West, East }

        public sealed class Owner
        {
            public string? Name { get; init; }
        }

        public sealed class Filter
        {
            public Region Region { get; init; }
            public Region? Fallback { get; init; }
            public int? Limit { get; init; }
            public Owner? Owner { get; init; }
            public bool? Active { get; init; }
        }

        public readonly record struct Page(int Number, int Size);

        public sealed record Result(string Text);

        public interface ISearchService
        {
            [Cached("search:{filter.Region}:{filter.Fallback}:{filter.Limit}:{filter.Owner.Name}:{filter.Active}")]
            Task<Result> ByFilterAsync(Filter? filter, CancellationToken ct);

            [Cached("search:{page.Number}:{page.Size}:{maybe.Number}")]
            Task<Result> ByPageAsync(Page page, Page? maybe);

            [Cached("scalars:{id}:{when}:{at}:{count}:{big}:{price}:{ratio}:{flag}:{maybe}:{letter}:{span}")]
            Task<Result> ScalarsAsync(Guid id, DateTime when, DateTimeOffset at, int count, long big, decimal price, double ratio, bool flag, bool? maybe, char letter, TimeSpan span);

            [Cached("nullable:{text}:{number}:{region}:{day}")]
            Task<Result> NullablesAsync(string? text, int? number, Region? region, DateTime? day);

            [Cached("lists:{ids}:{names}:{guids}")]
            Task<Result> ListsAsync(int[] ids, List<string> names, IEnumerable<Guid> guids);

            [Cached("trace:{query}")]
            Task<Result> TracedAsync(string query, [NotCacheKey] string traceId, CancellationToken ct);

            [Cached("obj:{value}")]
            Task<Result> ObjectAsync(object value);
        }
        """;

    public const string Overloads = """
        using System.Threading.Tasks;
        using Caching;

        namespace Shop.Catalog;

        public sealed record Item(int Id);

        public interface ICatalog
        {
            [Cached("item:{id}")]
            Task<Item> GetAsync(int id);

            [Cached("item:{id}:{version}")]
            Task<Item> GetAsync(int id, int version = 1);

            [Cached("items:{ids}")]
            Task<Item[]> GetManyAsync(params int[] ids);

            [Cached("items:page:{page}:{size}")]
            Task<Item[]> PageAsync(int page = 0, int size = 20);
        }
        """;

    public const string GenericInterface = """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Caching;

        namespace Shop.Data;

        public interface IRepository<T>
            where T : class
        {
            [Cached("repo:{id}", Tags = new[] { "repo" })]
            Task<T?> GetAsync(int id, CancellationToken ct = default);

            [Cached("repo:all")]
            Task<IReadOnlyList<T>> ListAsync(CancellationToken ct = default);

            [InvalidatesCache("repo:{id}", "repo:all")]
            Task SaveAsync(int id, T entity, CancellationToken ct = default);

            [InvalidatesCache(Tags = new[] { "repo" })]
            Task ClearAsync();
        }
        """;

    public const string GenericMethod = """
        using System.Threading.Tasks;
        using Caching;

        namespace Shop.Documents;

        public interface IDocumentStore
        {
            [Cached("doc:{id}")]
            Task<T?> LoadAsync<T>(string id) where T : class;

            [Cached("doc:value:{id}")]
            T LoadValue<T>(int id) where T : struct;

            [Cached("doc:any:{id}")]
            ValueTask<T?> FindAsync<T>(string id);

            [InvalidatesCache("doc:{id}")]
            Task DeleteAsync<T>(string id) where T : class;
        }
        """;

    public const string Namespaces = """
        using System.Threading.Tasks;
        using Caching;

        public interface IGlobalClock
        {
            [Cached("clock:now")]
            Task<long> NowAsync();
        }

        namespace Outer
        {
            namespace Inner
            {
                internal interface IInternalService
                {
                    [Cached("internal:{id}")]
                    Task<string> GetAsync(int id);
                }

                public static partial class Container
                {
                    public interface INestedService
                    {
                        [Cached("nested:{id}")]
                        Task<string> GetAsync(int id);
                    }
                }
            }
        }
        """;

    public const string Unsupported = """
        using System.Collections.Generic;
        using System;
        using System.Threading.Tasks;
        using Caching;

        namespace Shop.Odd;

        public interface IOddService
        {
            [Cached("ref:{id}")]
            int ByRef(ref int id);

            [Cached("out:{id}")]
            bool TryGet(int id, out string value);

            [Cached("in:{id}")]
            int ByIn(in int id);

            [Cached("stream:{id}")]
            IAsyncEnumerable<int> StreamAsync(int id);

            [Cached("span:{length}")]
            int Sum(ReadOnlySpan<int> values, int length);

            [Cached("bad:{id")]
            Task<int> BadTemplateAsync(int id);

            [Cached("missing:{userId}")]
            Task<int> UnknownHoleAsync(int id);

            [Cached("nothing:{id}")]
            Task NothingToCacheAsync(int id);

            [Cached("ttl:{id}", LocalTtl = "soon")]
            Task<int> BadTtlAsync(int id);

            [Cached("both:{id}")]
            [InvalidatesCache("both:*")]
            Task<int> BothAsync(int id);
        }
        """;

    public const string Members = """
        using System;
        using System.Diagnostics.CodeAnalysis;
        using System.Threading.Tasks;
        using Caching;

        namespace Shop.Inventory;

        public interface IReadStore<TKey>
        {
            event EventHandler<TKey>? Changed;

            string Name { get; set; }

            int this[TKey key] { get; }

            bool TryPeek(TKey key, [NotNullWhen(true)] out string? value);

            [Cached("stock:{key}")]
            Task<int> StockAsync(TKey key);
        }

        public interface IInventory : IReadStore<string>, IDisposable, IAsyncDisposable
        {
            string Describe() => "inventory";

            [return: MaybeNull]
            T Peek<T>(string key);

            [InvalidatesCache("stock:{sku}")]
            void Restock(string sku, int count);
        }
        """;

    public const string Sharing = """
        using System.Collections.Generic;
        using System.Collections.Immutable;
        using System.ComponentModel;
        using System.Threading.Tasks;
        using Caching;

        namespace Shop.Sharing;

        public sealed record Immutable(string Name, int Count, IReadOnlyList<string>? Items = null);
        public sealed record Positional(string Name, int Count);
        public sealed class Mutable { public string Name { get; set; } = ""; }
        public readonly struct Point { public Point(int x) { X = x; } public int X { get; } }
        [ImmutableObject(true)]
        public sealed class Declared { public List<string> Items { get; } = new(); }
        public sealed class WithArray { public WithArray(int[] values) { Values = values; } public int[] Values { get; } }

        public interface ISharingService
        {
            [Cached("a")] Task<Positional> PositionalAsync();
            [Cached("b")] Task<Immutable> ReadOnlyListMemberAsync();
            [Cached("c")] Task<Mutable> MutableAsync();
            [Cached("d")] Task<Point> PointAsync();
            [Cached("e")] Task<Declared> DeclaredAsync();
            [Cached("f")] Task<WithArray> ArrayMemberAsync();
            [Cached("g")] Task<ImmutableArray<string>> ImmutableArrayAsync();
            [Cached("h")] Task<List<int>> ListAsync();
            [Cached("i")] Task<string> StringAsync();
            [Cached("j", Sharing = ValueSharing.Share)] Task<Mutable> SharedOnPurposeAsync();
            [Cached("k", Sharing = ValueSharing.Copy)] Task<string> CopiedOnPurposeAsync();
        }
        """;

    public const string Tags = """
        using System.Threading.Tasks;
        using Caching;

        namespace Shop.Orders;

        public sealed record Order(int Id, string Customer);

        public interface IOrderService
        {
            [Cached("order:{id}", Tags = new[] { "orders", "customer:{customer}" }, LocalTtl = "1m", RedisTtl = "1h")]
            Task<Order> GetAsync(int id, string customer);

            [Cached("orders:recent", Tags = new[] { "orders" }, RedisTtl = "1d")]
            Task<Order[]> RecentAsync();

            [InvalidatesCache("order:{id}", Tags = new[] { "customer:{customer}" }, BeforeInvocation = true)]
            Task CancelAsync(int id, string customer);

            [InvalidatesCache(Tags = new[] { "orders" })]
            Task PurgeAsync();
        }
        """;

    public const string Derived = """
        using System.Threading.Tasks;
        using Caching;

        namespace Shop.Stores;

        public sealed record User(string Id);

        public interface IStore<T>
        {
            [Cached("store:{id}")]
            Task<T?> GetAsync(string id);
        }

        public interface IUserStore : IStore<User>
        {
            Task<int> CountAsync();
        }
        """;

    /// <summary>Names that collide with what the generator writes: its locals, lambda parameters, fields and helpers.</summary>
    public const string Collisions = """
        using System.Threading;
        using System.Threading.Tasks;
        using Caching;

        namespace Shop.Names;

        public interface INames
        {
            [Cached("a:{state}:{loadToken}:{builder}")]
            Task<int> StateAsync(int state, string loadToken, string builder, CancellationToken ct);

            [Cached("b:{_inner}:{_cache}:{@class}")]
            ValueTask<int> FieldsAsync(int _inner, int _cache, string @class);

            [InvalidatesCache("a:{result}:*")]
            Task<int> ResultAsync(int result);

            [Cached("c:{id}")]
            Task<int> Type(int id);

            [Cached("d:{id}")]
            Task<int> TypeArgumentName(int id);
        }
        """;

    /// <summary>Interfaces whose readable decorator names meet, and a base-class constraint on a generic method.</summary>
    public const string Names = """
        using System.Threading.Tasks;
        using Caching;

        namespace Shop.Names;

        public abstract class EntityBase
        {
            public string Id { get; set; } = "";
        }

        public interface IWidget
        {
            [Cached("widget:{id}")]
            Task<T?> GetAsync<T>(string id) where T : EntityBase;

            [InvalidatesCache("widget:*")]
            Task ClearAsync();
        }

        public interface Widget
        {
            [Cached("plain-widget:{id}")]
            Task<string> GetAsync(int id);

            [InvalidatesCache("plain-widget:{id}")]
            Task SaveAsync(int id);
        }

        public interface IWIDGET
        {
            [Cached("loud-widget:{id}")]
            Task<string> GetAsync(int id);

            [InvalidatesCache("loud-widget:*")]
            Task ClearAsync();
        }

        public static partial class Outer<TOuter>
        {
            public interface IWidget
            {
                [Cached("outer-widget:{id}")]
                Task<string> GetAsync(int id);

                [InvalidatesCache("outer-widget:*")]
                Task ClearAsync();
            }
        }
        """;

    public static readonly IReadOnlyDictionary<string, string> All = new Dictionary<string, string>
    {
        [nameof(Basic)] = Basic,
        [nameof(ReturnTypes)] = ReturnTypes,
        [nameof(Parameters)] = Parameters,
        [nameof(Overloads)] = Overloads,
        [nameof(GenericInterface)] = GenericInterface,
        [nameof(GenericMethod)] = GenericMethod,
        [nameof(Namespaces)] = Namespaces,
        [nameof(Members)] = Members,
        [nameof(Sharing)] = Sharing,
        [nameof(Tags)] = Tags,
        [nameof(Derived)] = Derived,
        [nameof(Collisions)] = Collisions,
        [nameof(Names)] = Names,
    };
}
