using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Hybrid;

namespace Caching.Internal;

/// <summary>
/// The serializer of each value type for one cache, chosen once per type: the registry's serializer for exactly the
/// type, then the container's <see cref="IHybridCacheSerializer{T}"/> (when the cache is a HybridCache), then the
/// container's factories and then the registry's (the last registered first, as HybridCache does), then the cache's
/// serializer for every type. A cache with nothing registered per type skips the lookup.
/// </summary>
internal sealed class SerializerSelection : ICacheSerializer
{
    private readonly ICacheSerializer _fallback;
    private readonly string? _fallbackIdentity;
    private readonly Dictionary<Type, object> _perType;
    private readonly IHybridCacheSerializerFactory[] _factories;
    private readonly ContainerSerializers? _container;
    private readonly bool _uniform;
    private readonly ConcurrentDictionary<Type, object> _chosen = new();

    public SerializerSelection(ICacheSerializer fallback, CacheSerializerRegistry registry, ContainerSerializers? container)
    {
        _fallback = fallback;
        _fallbackIdentity = TypeSerializer<object>.IdentityOf(fallback);
        (_perType, _factories) = registry.Snapshot();
        _container = container;
        // A container source is asked per type (its per-type serializers cannot be listed ahead), so it always looks up.
        // A type's own [CacheSerializer] is seen per type too, through a static of the closed generic (no lookup).
        _uniform = registry.IsEmpty && container is null;
    }

    /// <summary>The identity of the serializer for <typeparamref name="T"/> (see <see cref="TypeTag"/>).</summary>
    public string? IdentityFor<T>() => Uniform<T>() ? _fallbackIdentity : For<T>().Identity;

    public void Serialize<T>(IBufferWriter<byte> destination, T value)
    {
        if (Uniform<T>())
        {
            _fallback.Serialize(destination, value);
        }
        else
        {
            For<T>().Serialize(destination, value);
        }
    }

    public T Deserialize<T>(ReadOnlySpan<byte> source) => Uniform<T>() ? _fallback.Deserialize<T>(source) : For<T>().Deserialize(source.ToArray());

    /// <summary>Reads the value stored in <paramref name="buffer"/> from <paramref name="offset"/> on, without copying it.</summary>
    public T Deserialize<T>(byte[] buffer, int offset) =>
        Uniform<T>() ? _fallback.Deserialize<T>(buffer.AsSpan(offset)) : For<T>().Deserialize(buffer.AsMemory(offset));

    /// <summary>Whether <typeparamref name="T"/> goes straight to the cache's general serializer.</summary>
    private bool Uniform<T>() => _uniform && !DeclaredSerializer<T>.IsDeclared;

    private TypeSerializer<T> For<T>() =>
        _chosen.TryGetValue(typeof(T), out var chosen) ? (TypeSerializer<T>)chosen : (TypeSerializer<T>)_chosen.GetOrAdd(typeof(T), static (_, self) => self.Choose<T>(), this);

    private TypeSerializer<T> Choose<T>()
    {
        if (_perType.TryGetValue(typeof(T), out var registered))
        {
            return (TypeSerializer<T>)registered;
        }

        if (_container?.PerType<T>() is { } fromContainer)
        {
            return new HybridTypeSerializer<T>(fromContainer);
        }

        if (_container?.FromFactories<T>() is { } fromContainerFactory)
        {
            return new HybridTypeSerializer<T>(fromContainerFactory);
        }

        foreach (var factory in _factories)
        {
            if (factory.TryCreateSerializer<T>(out var created))
            {
                return new HybridTypeSerializer<T>(created);
            }
        }

        if (DeclaredSerializer<T>.IsDeclared)
        {
            return new HybridTypeSerializer<T>(DeclaredSerializer<T>.Get());
        }

        return new GeneralTypeSerializer<T>(_fallback, _fallbackIdentity);
    }
}
