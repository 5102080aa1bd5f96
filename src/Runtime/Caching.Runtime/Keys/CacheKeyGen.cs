using System.Globalization;
using System.Text;

namespace Caching;

/// <summary>
/// Builds keys in the conventional shapes under one prefix: <c>gpu:resource:instance:vast-123</c>,
/// <c>gpu:list:instances:status=available:region=us-west</c>, <c>metrics:ts:requests:1736870400</c>,
/// <c>api:query:search:q=gpu&amp;region=us-west</c>. Every name and value is written by <see cref="CacheKey.EscapeValue"/>:
/// escaped, so no value can add a segment, a parameter or a wildcard, and hashed in its place when longer than
/// <see cref="CacheKey.MaxValueLength"/>, so a pattern names a long value exactly as its key does.
/// </summary>
public sealed class CacheKeyGen
{
    private readonly string _prefix;
    private readonly TimeProvider _time;

    /// <summary>Creates a generator for keys under <paramref name="prefix"/>.</summary>
    /// <param name="prefix">The first segment, such as <c>"gpu"</c>.</param>
    /// <param name="timeProvider">The clock for <see cref="Timestamped(string, TimeSpan)"/> (default: the system clock).</param>
    public CacheKeyGen(string prefix, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        // The prefix is the application's namespace, not a value: escaped so it cannot widen, never hashed.
        _prefix = CacheKey.Escape(prefix);
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The escaped prefix.</summary>
    public string Prefix => _prefix;

    /// <summary><c>{prefix}:resource:{type}:{id}</c>.</summary>
    /// <param name="type">The resource type, such as <c>"instance"</c>.</param>
    /// <param name="id">The resource id.</param>
    public string Resource(string type, string id) => Join(_prefix, "resource", CacheKey.EscapeValue(type), CacheKey.EscapeValue(id));

    /// <summary><c>{prefix}:list:{name}:{k1}={v1}:{k2}={v2}</c>, filters in the order given.</summary>
    /// <param name="name">The list name, such as <c>"instances"</c>.</param>
    /// <param name="filters">Filter names and values.</param>
    public string List(string name, params (string Name, object? Value)[] filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        var builder = new StringBuilder().Append(_prefix).Append(":list:").Append(CacheKey.EscapeValue(name));
        foreach (var (filterName, value) in filters)
        {
            builder.Append(':').Append(CacheKey.EscapeValue(filterName)).Append('=').Append(FormatValue(value));
        }

        return builder.ToString();
    }

    /// <summary><c>{prefix}:user:{userId}:{resource}</c>, or <c>{prefix}:user:{userId}</c> without a resource.</summary>
    /// <param name="userId">The user id.</param>
    /// <param name="resource">What of the user's is cached, such as <c>"profile"</c>.</param>
    public string User(string userId, string? resource = null) => resource is null
        ? Join(_prefix, "user", CacheKey.EscapeValue(userId))
        : Join(_prefix, "user", CacheKey.EscapeValue(userId), CacheKey.EscapeValue(resource));

    /// <summary><c>{prefix}:ts:{name}:{bucketStart}</c> where bucketStart is the Unix time (seconds) of the current bucket's start.</summary>
    /// <param name="name">The series name.</param>
    /// <param name="bucket">The bucket width, such as one hour.</param>
    public string Timestamped(string name, TimeSpan bucket) => Timestamped(name, bucket, _time.GetUtcNow());

    /// <summary><c>{prefix}:ts:{name}:{bucketStart}</c> for the bucket containing <paramref name="at"/>.</summary>
    /// <param name="name">The series name.</param>
    /// <param name="bucket">The bucket width.</param>
    /// <param name="at">The instant.</param>
    public string Timestamped(string name, TimeSpan bucket, DateTimeOffset at)
    {
        if (bucket <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(bucket), bucket, "The bucket must be positive.");
        }

        var seconds = at.ToUnixTimeSeconds();
        var width = Math.Max(1, (long)bucket.TotalSeconds);
        var start = seconds - (((seconds % width) + width) % width);
        return Join(_prefix, "ts", CacheKey.EscapeValue(name), start.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary><c>{prefix}:query:{name}:{k1}={v1}&amp;{k2}={v2}</c> with parameters sorted by name (ordinal), so argument order never splits entries.</summary>
    /// <param name="name">The query name.</param>
    /// <param name="parameters">Parameter names and values.</param>
    public string Query(string name, IEnumerable<KeyValuePair<string, object?>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var sorted = new List<KeyValuePair<string, object?>>(parameters);
        sorted.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var builder = new StringBuilder().Append(_prefix).Append(":query:").Append(CacheKey.EscapeValue(name)).Append(':');
        for (var i = 0; i < sorted.Count; i++)
        {
            if (i > 0)
            {
                builder.Append('&');
            }

            builder.Append(CacheKey.EscapeValue(sorted[i].Key)).Append('=').Append(FormatValue(sorted[i].Value));
        }

        return builder.ToString();
    }

    /// <inheritdoc cref="Query(string, IEnumerable{KeyValuePair{string, object}})"/>
    public string Query(string name, params (string Name, object? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var pairs = new KeyValuePair<string, object?>[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            pairs[i] = new KeyValuePair<string, object?>(parameters[i].Name, parameters[i].Value);
        }

        return Query(name, pairs);
    }

    /// <summary>
    /// The pattern of every key under <paramref name="kind"/> and <paramref name="name"/> that has further segments
    /// (<c>gpu:list:instances:*</c>). It does not match the bare key (<c>List("instances")</c> without filters is
    /// <c>gpu:list:instances</c>); <see cref="PatternsFor"/> returns both.
    /// </summary>
    /// <param name="kind">resource, list, user, ts or query.</param>
    /// <param name="name">The name; <see langword="null"/> for all names.</param>
    public string Pattern(string kind, string? name = null) => name is null
        ? Join(_prefix, CacheKey.EscapeValue(kind), "*")
        : Join(_prefix, CacheKey.EscapeValue(kind), CacheKey.EscapeValue(name), "*");

    /// <summary>
    /// Everything to invalidate for <paramref name="kind"/> and <paramref name="name"/>: the bare key and the pattern of
    /// its children. A glob cannot say "this key or its children" without also matching longer names
    /// (<c>instances*</c> would match <c>instances2</c>), hence two entries.
    /// </summary>
    /// <param name="kind">resource, list, user, ts or query.</param>
    /// <param name="name">The name.</param>
    public IReadOnlyList<string> PatternsFor(string kind, string name) =>
        [Join(_prefix, CacheKey.EscapeValue(kind), CacheKey.EscapeValue(name)), Pattern(kind, name)];

    private static string FormatValue(object? value)
    {
        var builder = new CacheKeyBuilder(stackalloc char[64]);
        builder.AppendObject(value);
        return builder.ToStringAndClear();
    }

    private static string Join(params string[] segments) => string.Join(':', segments);
}
