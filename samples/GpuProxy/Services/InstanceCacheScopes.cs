using Caching;
using GpuProxy.Data;

namespace GpuProxy.Services;

/// <summary>
/// Which cached lists and searches one instance can appear in, so a write drops those and nothing else. An instance's
/// region and model never change, so the lists that may hold it are the four filters it matches
/// (region or any × model or any), and the searches are those of its region or of every region.
/// </summary>
public static class InstanceCacheScopes
{
    /// <summary>Dropped by every instance write's scopes too: the admin's handle on everything derived from instances.</summary>
    public const string AllInstancesTag = "gpu:instances";

    /// <summary>
    /// The base key of <c>GET /api/gpu/instances</c> (the middleware prefixes it with <c>http:</c>): region and model each
    /// in its own segment, normalized as the endpoint normalizes them, so a write can name the exact entries it changes.
    /// </summary>
    /// <param name="region">Region filter, or <see langword="null"/>.</param>
    /// <param name="model">Model filter, or <see langword="null"/>.</param>
    public static string ListKey(string? region, string? model) =>
        "gpu-list:" + Segment(region) + ":" + Segment(model);

    /// <summary>The tag of searches in <paramref name="region"/> (<see langword="null"/>: searches over every region).</summary>
    /// <param name="region">The region, or <see langword="null"/>.</param>
    public static string SearchTag(string? region) => "gpu:search:region:" + Segment(region);

    /// <summary>Drops the cached lists and searches that can contain <paramref name="instance"/>: four keys and two tags, each O(1).</summary>
    /// <param name="cache">The cache.</param>
    /// <param name="httpKeyPrefix">The response cache's key prefix (<c>http</c> by default).</param>
    /// <param name="instance">The instance as written.</param>
    /// <param name="cancellationToken">Cancels the invalidation.</param>
    public static async Task InvalidateAsync(IMultiLayerCache cache, string httpKeyPrefix, GpuInstance instance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(instance);
        foreach (var region in new[] { instance.Region, null })
        {
            foreach (var model in new[] { instance.ModelId, null })
            {
                await cache.RemoveAsync(httpKeyPrefix + ":" + ListKey(region, model), cancellationToken).ConfigureAwait(false);
            }

            await cache.RemoveByTagAsync(SearchTag(region), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The form the endpoints use for a filter: "" and absent mean no filter; case does not matter.</summary>
    /// <param name="value">The query value.</param>
    public static string? Normalize(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim().ToLowerInvariant();

    // No filter is the null token, which no escaped value can equal; so no value can reach another filter's entry.
    private static string Segment(string? value) => CacheKey.EscapeValue(value);
}
