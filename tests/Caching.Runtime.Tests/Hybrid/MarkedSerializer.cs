using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Caching.Hybrid;

namespace Caching.Runtime.Tests.Hybrid;

/// <summary>
/// A real JSON serializer that puts a marker before its payload and counts its calls, so a test can tell which
/// serializer wrote an entry (its bytes in Redis) and which one read it.
/// </summary>
internal sealed class MarkedSerializer<T>(string marker) : IHybridCacheSerializer<T>
{
    private readonly byte[] _marker = Encoding.UTF8.GetBytes(marker);
    private int _serialized;
    private int _deserialized;

    public string Marker { get; } = marker;

    public int Serialized => Volatile.Read(ref _serialized);

    public int Deserialized => Volatile.Read(ref _deserialized);

    public void Serialize(T value, IBufferWriter<byte> target)
    {
        Interlocked.Increment(ref _serialized);
        target.Write(_marker);
        using var writer = new Utf8JsonWriter(target);
        JsonSerializer.Serialize(writer, value);
    }

    public T Deserialize(ReadOnlySequence<byte> source)
    {
        Interlocked.Increment(ref _deserialized);
        var bytes = source.ToArray();
        if (!bytes.AsSpan().StartsWith(_marker))
        {
            throw new InvalidOperationException($"Not written by the '{Marker}' serializer.");
        }

        return JsonSerializer.Deserialize<T>(bytes.AsSpan(_marker.Length))!;
    }
}

/// <summary>A factory that hands out <see cref="MarkedSerializer{T}"/>s for the types it accepts, and counts what it was asked.</summary>
internal sealed class MarkedSerializerFactory(string marker, Func<Type, bool> accepts) : IHybridCacheSerializerFactory
{
    private readonly Dictionary<Type, object> _created = [];

    public string Marker { get; } = marker;

    public int Asked { get; private set; }

    public MarkedSerializer<T>? CreatedFor<T>()
    {
        lock (_created)
        {
            return _created.TryGetValue(typeof(T), out var serializer) ? (MarkedSerializer<T>)serializer : null;
        }
    }

    public bool TryCreateSerializer<T>([NotNullWhen(true)] out IHybridCacheSerializer<T>? serializer)
    {
        lock (_created)
        {
            Asked++;
            if (!accepts(typeof(T)))
            {
                serializer = null;
                return false;
            }

            var created = new MarkedSerializer<T>(Marker);
            _created[typeof(T)] = created;
            serializer = created;
            return true;
        }
    }
}
