using System.Buffers;
using Microsoft.Extensions.Caching.Hybrid;

namespace Caching.Internal;

/// <summary>
/// The serializer chosen for one value type (<see cref="SerializerSelection"/>), whichever shape it was registered
/// in, with the identity that goes into the entry's type tag (<see cref="TypeTag"/>).
/// </summary>
/// <typeparam name="T">The value type.</typeparam>
internal abstract class TypeSerializer<T>(string? identity)
{
    /// <summary>Null for the default System.Text.Json serializer; else the serializer's type name.</summary>
    public string? Identity { get; } = identity;

    public abstract void Serialize(IBufferWriter<byte> destination, T value);

    /// <summary>Reads a value; throws on bytes it cannot read (the cache treats that as a miss).</summary>
    public abstract T Deserialize(ReadOnlyMemory<byte> source);

    /// <summary>The identity of a serializer instance: null for the default format, else its type's name.</summary>
    public static string? IdentityOf(object serializer) => serializer is SystemTextJsonCacheSerializer ? null : TypeTag.NameOf(serializer.GetType());
}

/// <summary>A serializer for every type (<see cref="ICacheSerializer"/>) used for one of them.</summary>
internal sealed class GeneralTypeSerializer<T>(ICacheSerializer serializer, string? identity) : TypeSerializer<T>(identity)
{
    public override void Serialize(IBufferWriter<byte> destination, T value) => serializer.Serialize(destination, value);

    public override T Deserialize(ReadOnlyMemory<byte> source) => serializer.Deserialize<T>(source.Span);
}

/// <summary>The platform's per-type serializer shape (HybridCache's), read over the cached bytes without a copy.</summary>
internal sealed class HybridTypeSerializer<T>(IHybridCacheSerializer<T> serializer) : TypeSerializer<T>(TypeTag.NameOf(serializer.GetType()))
{
    public override void Serialize(IBufferWriter<byte> destination, T value) => serializer.Serialize(value, destination);

    public override T Deserialize(ReadOnlyMemory<byte> source) => serializer.Deserialize(new ReadOnlySequence<byte>(source));
}
