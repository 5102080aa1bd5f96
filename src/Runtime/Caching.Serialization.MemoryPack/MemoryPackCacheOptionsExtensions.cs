using Caching.Serialization;
using MemoryPack;

namespace Caching;

/// <summary>Selects MemoryPack as the cache's serializer.</summary>
public static class MemoryPackCacheOptionsExtensions
{
    /// <summary>
    /// Sets <see cref="MultiLayerCacheOptions.Serializer"/> to a <see cref="MemoryPackCacheSerializer"/>:
    /// <c>services.AddMultiLayerCache(configuration, o =&gt; o.UseMemoryPack())</c>. Every node sharing a key prefix must
    /// use the same serializer: entries carry their value type, not their serializer.
    /// </summary>
    /// <param name="options">The cache options.</param>
    /// <param name="serializerOptions">MemoryPack's options; null for its defaults.</param>
    /// <returns>The options, for chaining.</returns>
    public static MultiLayerCacheOptions UseMemoryPack(this MultiLayerCacheOptions options, MemoryPackSerializerOptions? serializerOptions = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Serializer = new MemoryPackCacheSerializer(serializerOptions);
        return options;
    }
}
