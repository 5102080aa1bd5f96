using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;

namespace Caching.Internal;

/// <summary>
/// The HybridCache serializers registered in the container (<c>AddSerializer</c>, <c>AddSerializerFactory</c>, or
/// plain registrations of <see cref="IHybridCacheSerializer{T}"/> / <see cref="IHybridCacheSerializerFactory"/>), for
/// a cache registered with <c>AsHybridCache()</c>. Looked up as Microsoft's DefaultHybridCache does: the serializer
/// for exactly the type, then the factories, the last registered first.
/// </summary>
/// <remarks>
/// What <c>AddHybridCache()</c> registers by itself (its JSON factory, its UTF-8 string and raw byte[] serializers) is
/// left out: those are Microsoft's defaults, and this cache's default (System.Text.Json with the cache's
/// <see cref="MultiLayerCacheOptions.JsonOptions"/> and source-generated context) takes their place.
/// </remarks>
internal sealed class ContainerSerializers
{
    private const string MicrosoftDefaultsNamespace = "Microsoft.Extensions.Caching.Hybrid.Internal";

    private readonly IServiceProvider _services;
    private readonly IHybridCacheSerializerFactory[] _factoriesLastFirst;

    public ContainerSerializers(IServiceProvider services)
    {
        _services = services;
        var factories = services.GetServices<IHybridCacheSerializerFactory>().Where(static f => !IsMicrosoftDefault(f)).ToArray();
        Array.Reverse(factories);
        _factoriesLastFirst = factories;
    }

    public IHybridCacheSerializer<T>? PerType<T>()
    {
        var serializer = _services.GetService<IHybridCacheSerializer<T>>();
        return serializer is null || IsMicrosoftDefault(serializer) ? null : serializer;
    }

    public IHybridCacheSerializer<T>? FromFactories<T>()
    {
        foreach (var factory in _factoriesLastFirst)
        {
            if (factory.TryCreateSerializer<T>(out var serializer))
            {
                return serializer;
            }
        }

        return null;
    }

    private static bool IsMicrosoftDefault(object service) => service.GetType().Namespace == MicrosoftDefaultsNamespace;
}
