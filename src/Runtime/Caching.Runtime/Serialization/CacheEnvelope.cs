using System.Buffers;
using System.Buffers.Binary;

namespace Caching.Internal;

/// <summary>
/// The wire format of a Redis entry: a 24-byte header, then the serialized value.
/// <code>
/// 0     magic 0xCA
/// 1     format version (1)
/// 2     flags (bit 0: the value is null)
/// 3     reserved (0)
/// 4-7   type tag: FNV-1a of the value type's name and the schema tag, little endian
/// 8-15  creation time, Unix milliseconds
/// 16-23 logical expiry, Unix milliseconds (after it the value is stale, kept only for fail-safe)
/// 24-   payload
/// </code>
/// Anything else (another magic, version or type tag, a short buffer) is rejected, and the caller treats it as a miss.
/// </summary>
internal static class CacheEnvelope
{
    public const byte Magic = 0xCA;
    public const byte FormatVersion = 1;
    public const int HeaderLength = 24;
    private const byte NullFlag = 1;

    public static byte[] Write<T>(ICacheSerializer serializer, T value, uint typeTag, long createdUnixMs, long logicalExpiryUnixMs)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        var header = buffer.GetSpan(HeaderLength);
        header[0] = Magic;
        header[1] = FormatVersion;
        header[2] = value is null ? NullFlag : (byte)0;
        header[3] = 0;
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], typeTag);
        BinaryPrimitives.WriteInt64LittleEndian(header[8..], createdUnixMs);
        BinaryPrimitives.WriteInt64LittleEndian(header[16..], logicalExpiryUnixMs);
        buffer.Advance(HeaderLength);
        if (value is not null)
        {
            serializer.Serialize(buffer, value);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads the header; false when the bytes are not an entry of this format and type.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> bytes, uint expectedTypeTag, out EnvelopeHeader header, out string problem)
    {
        header = default;
        if (bytes.Length < HeaderLength || bytes[0] != Magic)
        {
            problem = "not a cache entry (unknown header)";
            return false;
        }

        if (bytes[1] != FormatVersion)
        {
            problem = $"format version {bytes[1]} (expected {FormatVersion})";
            return false;
        }

        var typeTag = BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]);
        if (typeTag != expectedTypeTag)
        {
            problem = "written for another type or schema";
            return false;
        }

        header = new EnvelopeHeader(
            (bytes[2] & NullFlag) != 0,
            BinaryPrimitives.ReadInt64LittleEndian(bytes[8..]),
            BinaryPrimitives.ReadInt64LittleEndian(bytes[16..]));
        problem = string.Empty;
        return true;
    }
}

/// <summary>The decoded header of an entry.</summary>
internal readonly record struct EnvelopeHeader(bool IsNull, long CreatedUnixMs, long LogicalExpiryUnixMs);
