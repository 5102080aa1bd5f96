using System.Diagnostics.CodeAnalysis;

namespace Caching;

/// <summary>
/// Names the serializer a value type brings with it, as <c>[JsonConverter]</c> does for System.Text.Json: a type with
/// a compact binary form of its own is stored in that form wherever it is cached, with no registration in the
/// application. The serializer must implement <see cref="Microsoft.Extensions.Caching.Hybrid.IHybridCacheSerializer{T}"/>
/// for exactly the annotated type and have a public parameterless constructor; one instance, created the first time the type is cached, serves every cache of the process, so it must be thread-safe.
/// </summary>
/// <remarks>
/// A serializer the application chooses for the type (<see cref="MultiLayerCacheOptions.Serializers"/>, the
/// container's serializers or factories) wins over this one; the cache's general serializer is used only for types
/// that declare none.
/// </remarks>
/// <param name="serializerType">The serializer's type.</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
public sealed class CacheSerializerAttribute(
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] Type serializerType) : Attribute
{
    /// <summary>The serializer's type.</summary>
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)]
    public Type SerializerType { get; } = serializerType ?? throw new ArgumentNullException(nameof(serializerType));
}
