using Caching;
using Caching.Internal;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Exposes the two-tier cache as <see cref="HybridCache"/>.</summary>
public static class MultiLayerHybridCacheServiceCollectionExtensions
{
    /// <summary>
    /// Registers the cache that <c>AddMultiLayerCache</c> registered as the application's <see cref="HybridCache"/>:
    /// <c>services.AddMultiLayerCache(configuration).AsHybridCache()</c>. Code and libraries written against
    /// HybridCache then share this cache's L1, Redis, backplane (a removal or tag invalidation evicts every node's
    /// L1), tags, pattern invalidation and fail-safe with the rest of the application.
    /// </summary>
    /// <remarks>
    /// <para>
    /// It replaces any <see cref="HybridCache"/> registered before (<c>AddHybridCache()</c>), and a later
    /// <c>AddHybridCache()</c> keeps it, because that call only adds a HybridCache when none is registered; its
    /// builder's <c>AddSerializer</c> / <c>AddSerializerFactory</c> still apply. Keyed registrations
    /// (<c>AddKeyedHybridCache</c>) are left alone: they name other caches.
    /// </para>
    /// <para>
    /// Serializers: <see cref="IHybridCacheSerializer{T}"/> and <see cref="IHybridCacheSerializerFactory"/> registered in
    /// the container are honoured in Microsoft's order (the serializer for exactly the type, then the factories, the
    /// last registered first), after <see cref="MultiLayerCacheOptions.Serializers"/>' serializer for exactly the type
    /// and before its factories; otherwise System.Text.Json with <see cref="MultiLayerCacheOptions.JsonOptions"/>
    /// takes the place of Microsoft's default JSON, string and byte[] serializers. They apply to the one cache, so a
    /// type is stored the same way whichever API stores it.
    /// </para>
    /// </remarks>
    /// <param name="services">The services, with <c>AddMultiLayerCache</c> already called.</param>
    /// <param name="configure">Sets HybridCache's own options (default entry options, payload and key limits).</param>
    /// <returns>The services, for chaining.</returns>
    /// <exception cref="InvalidOperationException"><c>AddMultiLayerCache</c> was not called before.</exception>
    /// <exception cref="CacheConfigurationException">An option has a value that cannot be used; the message names it.</exception>
    public static IServiceCollection AsHybridCache(this IServiceCollection services, Action<MultiLayerHybridCacheOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!services.Any(static d => d.ServiceType == typeof(MultiLayerCache)))
        {
            throw new InvalidOperationException("AsHybridCache() exposes the cache that AddMultiLayerCache registers: call services.AddMultiLayerCache(configuration).AsHybridCache().");
        }

        var options = new MultiLayerHybridCacheOptions();
        configure?.Invoke(options);
        options.Validate();
        services.RemoveAll<HybridCache>();
        services.AddSingleton<HybridCache>(provider => new MultiLayerHybridCache(
            provider.GetRequiredService<MultiLayerCache>(),
            options,
            provider.GetService<ILoggerFactory>()?.CreateLogger<HybridCache>()));
        services.TryAddSingleton(static provider => new ContainerSerializers(provider));
        return services;
    }
}
