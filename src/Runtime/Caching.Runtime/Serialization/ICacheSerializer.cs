using System.Buffers;

namespace Caching;

/// <summary>Turns cached values into bytes and back. The default is System.Text.Json; any implementation must be thread-safe.</summary>
public interface ICacheSerializer
{
    /// <summary>Writes <paramref name="value"/> to <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="destination">Where the bytes go.</param>
    /// <param name="value">The value.</param>
    void Serialize<T>(IBufferWriter<byte> destination, T value);

    /// <summary>Reads a value written by <see cref="Serialize{T}"/>; throws on bytes it cannot read (the cache treats that as a miss).</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="source">The bytes.</param>
    T Deserialize<T>(ReadOnlySpan<byte> source);
}
