using Caching.Internal;
using Microsoft.Extensions.Caching.Hybrid;

namespace Caching;

/// <summary>
/// Chooses the serializer per value type (<see cref="MultiLayerCacheOptions.Serializers"/>). For a type the cache uses,
/// in order: the serializer added for exactly that type, then the factories (the last added first; a factory that
/// declines the type passes it on), then <see cref="MultiLayerCacheOptions.Serializer"/> (System.Text.Json with
/// <see cref="MultiLayerCacheOptions.JsonOptions"/> by default). Per-type serializers use the platform's
/// <see cref="IHybridCacheSerializer{T}"/> and <see cref="IHybridCacheSerializerFactory"/>, so one written for
/// HybridCache works here unchanged. The cache reads the registry once, when it is created.
/// </summary>
/// <remarks>
/// Every entry records which serializer wrote it: an entry written by one serializer is a miss (deleted and
/// reloaded) for a cache that would read it with another, never a misread. Changing a serializer's own settings
/// (naming policy, contract) is not detected; set <see cref="CacheEntryOptions.SchemaTag"/> for that.
/// </remarks>
public sealed class CacheSerializerRegistry
{
    private readonly Dictionary<Type, object> _perType = [];
    private readonly List<IHybridCacheSerializerFactory> _factories = [];

    /// <summary>Serializes values of <typeparamref name="T"/> with <paramref name="serializer"/> (replacing an earlier choice for the type).</summary>
    /// <typeparam name="T">The value type, matched exactly (not its base types or interfaces).</typeparam>
    /// <param name="serializer">A thread-safe serializer.</param>
    /// <returns>This registry, for chaining.</returns>
    public CacheSerializerRegistry Add<T>(IHybridCacheSerializer<T> serializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        _perType[typeof(T)] = new HybridTypeSerializer<T>(serializer);
        return this;
    }

    /// <summary>
    /// Serializes values of <typeparamref name="T"/> with a serializer for any type, such as a binary format for one
    /// large type while the others stay JSON (replacing an earlier choice for the type).
    /// </summary>
    /// <typeparam name="T">The value type, matched exactly.</typeparam>
    /// <param name="serializer">A thread-safe serializer.</param>
    /// <returns>This registry, for chaining.</returns>
    public CacheSerializerRegistry Add<T>(ICacheSerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        _perType[typeof(T)] = new GeneralTypeSerializer<T>(serializer, TypeTag.NameOf(serializer.GetType()));
        return this;
    }

    /// <summary>Adds a factory that provides serializers for the types it accepts; factories added later are asked first.</summary>
    /// <param name="factory">A thread-safe factory; asked once per type.</param>
    /// <returns>This registry, for chaining.</returns>
    public CacheSerializerRegistry AddFactory(IHybridCacheSerializerFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _factories.Add(factory);
        return this;
    }

    internal bool IsEmpty => _perType.Count == 0 && _factories.Count == 0;

    /// <summary>What the cache keeps at creation: later changes to the registry do not reach a running cache.</summary>
    internal (Dictionary<Type, object> PerType, IHybridCacheSerializerFactory[] FactoriesLastFirst) Snapshot()
    {
        var factories = _factories.ToArray();
        Array.Reverse(factories);
        return (new Dictionary<Type, object>(_perType), factories);
    }
}
