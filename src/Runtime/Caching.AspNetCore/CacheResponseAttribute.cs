using Caching.Templates;

namespace Caching.AspNetCore;

/// <summary>
/// Caches the responses of a controller action (or every action of a controller) in the two-tier cache. The minimal-API
/// equivalent is <c>.CacheResponse(ttl)</c>. Requires <c>app.UseMultiLayerResponseCache()</c>.
/// </summary>
/// <param name="ttl">Time to live in both tiers: <c>"30s"</c>, <c>"5m"</c>, <c>"1h"</c>, <c>"1d"</c> or <c>"hh:mm:ss"</c>.</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class CacheResponseAttribute(string ttl) : Attribute, IResponseCachePolicyMetadata
{
    private ResponseCachePolicy? _policy;

    /// <summary>Time to live in both tiers unless <see cref="LocalTtl"/> or <see cref="RedisTtl"/> say otherwise.</summary>
    public string Ttl { get; } = ttl;

    /// <summary>In-process time to live, in the same format as <see cref="Ttl"/>.</summary>
    public string? LocalTtl { get; set; }

    /// <summary>Redis time to live, in the same format as <see cref="Ttl"/>.</summary>
    public string? RedisTtl { get; set; }

    /// <summary>Request headers whose values split the cache.</summary>
    public string[]? VaryByHeaders { get; set; }

    /// <summary>Route values that split the cache.</summary>
    public string[]? VaryByRouteValues { get; set; }

    /// <summary>Tags stored with every response.</summary>
    public string[]? Tags { get; set; }

    /// <summary>Response headers stored and replayed besides the default allow-list (see <see cref="ResponseCachePolicyBuilder.StoreHeader"/>).</summary>
    public string[]? StoredHeaders { get; set; }

    /// <summary>Obeys the request's <c>no-cache</c> / <c>no-store</c> (see <see cref="ResponseCachePolicyBuilder.HonorClientCacheControl"/>). Off by default.</summary>
    public bool HonorClientCacheControl { get; set; }

    /// <summary>
    /// Opts in to caching requests with credentials, partitioned by the value of this claim of the authenticated user
    /// (such as <c>"sub"</c>). Anonymous requests with credentials are then not cached.
    /// </summary>
    public string? PerUserClaim { get; set; }

    /// <inheritdoc />
    /// <exception cref="FormatException">A duration does not parse.</exception>
    public ResponseCachePolicy Policy => _policy ??= BuildPolicy();

    private ResponseCachePolicy BuildPolicy()
    {
        var builder = new ResponseCachePolicyBuilder(Parse(Ttl, nameof(Ttl)));
        if (LocalTtl is not null)
        {
            builder.LocalTtl(Parse(LocalTtl, nameof(LocalTtl)));
        }

        if (RedisTtl is not null)
        {
            builder.RedisTtl(Parse(RedisTtl, nameof(RedisTtl)));
        }

        builder.VaryByHeader(VaryByHeaders ?? []).VaryByRouteValue(VaryByRouteValues ?? []).Tag(Tags ?? []).StoreHeader(StoredHeaders ?? []);
        if (HonorClientCacheControl)
        {
            builder.HonorClientCacheControl();
        }

        if (PerUserClaim is not null)
        {
            builder.PerUser(PerUserClaim);
        }

        return builder.Build();
    }

    private static TimeSpan Parse(string text, string name) =>
        DurationText.TryParse(text, out var value) && value > TimeSpan.Zero
            ? value
            : throw new FormatException($"[CacheResponse] {name} = \"{text}\" is not valid: expected {DurationText.Expected}, greater than zero.");
}
