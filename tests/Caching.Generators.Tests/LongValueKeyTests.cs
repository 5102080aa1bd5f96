using System.Security.Cryptography;
using System.Text;
using Caching.Generators.Tests.Infrastructure;

namespace Caching.Generators.Tests;

/// <summary>
/// A generated decorator given a 2,000-character argument: the value is hashed inside its segment, so the key keeps
/// its shape and the [InvalidatesCache] pattern keeps its '*' and still matches the key (issue 8, finding 3).
/// </summary>
public sealed class LongValueKeyTests
{
    private const string Search = """
        using System.Threading.Tasks;
        using Caching;

        namespace Consumer;

        public interface ISearch
        {
            [Cached("search:{q}:page")]
            ValueTask<string> PageAsync(string q);

            [InvalidatesCache("search:{q}:*")]
            ValueTask ForgetAsync(string q);
        }

        public sealed class SearchService : ISearch
        {
            public int Loads;

            public ValueTask<string> PageAsync(string q) => new("results #" + ++Loads);

            public ValueTask ForgetAsync(string q) => default;
        }

        public static class Scenario
        {
            public static async Task<string> RunAsync(IMultiLayerCache cache)
            {
                var q = new string('q', 1990) + "0123456789";
                var source = new SearchService();
                ISearch search = new SearchCachingDecorator(source, cache);
                var first = await search.PageAsync(q);
                var hit = await search.PageAsync(q);
                await search.ForgetAsync(q);
                var reloaded = await search.PageAsync(q);
                return $"{source.Loads}|{first}|{hit}|{reloaded}";
            }
        }
        """;

    private static readonly string Q = new string('q', 1990) + "0123456789";

    [Fact]
    public async Task A_long_argument_gives_a_key_and_a_pattern_that_matches_it()
    {
        var cache = new RecordingCache();
        using var consumer = ConsumerAssembly.Compile(Search);

        await consumer.RunScenarioAsync(cache);

        var hashed = "#" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Q)).AsSpan(0, 16));
        Assert.Equal(["search:" + hashed + ":page", "search:" + hashed + ":page", "search:" + hashed + ":page"], cache.Keys);
        var pattern = Assert.Single(cache.Patterns);
        Assert.Equal("search:" + hashed + ":*", pattern);

        // The pattern ends in its one '*', and what comes before it is exactly the key's start: a glob match.
        Assert.Equal(pattern.Length - 1, pattern.IndexOf('*', StringComparison.Ordinal));
        Assert.StartsWith(pattern[..^1], cache.Keys[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_real_cache_reloads_after_the_invalidation_with_a_long_argument()
    {
        await using var cache = await Pods.CreateAsync(null, Pods.UniquePrefix("long"));
        using var consumer = ConsumerAssembly.Compile(Search);

        var result = await consumer.RunScenarioAsync(cache);

        // One load, one hit, and after ForgetAsync a second load: the pattern removed the entry.
        Assert.Equal("2|results #1|results #1|results #2", result);
    }

    /// <summary>The decorator's collaborator, recording the keys it reads and the patterns it invalidates; no caching.</summary>
    private sealed class RecordingCache : IMultiLayerCache
    {
        public List<string> Keys { get; } = [];

        public List<string> Patterns { get; } = [];

        public ValueTask<T> GetOrSetAsync<T>(string key, Func<CancellationToken, ValueTask<T>> factory, CacheEntryOptions? options = null, CancellationToken cancellationToken = default)
        {
            Keys.Add(key);
            return factory(cancellationToken);
        }

        public ValueTask<T> GetOrSetAsync<TState, T>(string key, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, CacheEntryOptions? options = null, CancellationToken cancellationToken = default)
        {
            Keys.Add(key);
            return factory(state, cancellationToken);
        }

        public T GetOrSet<TState, T>(string key, TState state, Func<TState, T> factory, CacheEntryOptions? options = null)
        {
            Keys.Add(key);
            return factory(state);
        }

        public ValueTask<CacheResult<T>> GetAsync<T>(string key, CacheEntryOptions? options = null, CancellationToken cancellationToken = default)
        {
            Keys.Add(key);
            return ValueTask.FromResult(default(CacheResult<T>));
        }

        public ValueTask SetAsync<T>(string key, T value, CacheEntryOptions? options = null, CancellationToken cancellationToken = default) => default;

        public ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default)
        {
            Patterns.Add(key);
            return default;
        }

        public ValueTask<long> InvalidatePatternAsync(string pattern, CancellationToken cancellationToken = default)
        {
            Patterns.Add(pattern);
            return ValueTask.FromResult(0L);
        }

        public ValueTask<long> RemoveByTagAsync(string tag, CancellationToken cancellationToken = default) => ValueTask.FromResult(0L);

        public CacheStatistics Stats() => new();
    }
}
