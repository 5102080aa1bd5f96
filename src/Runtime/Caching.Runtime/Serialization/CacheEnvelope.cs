using System.Buffers.Binary;

namespace Caching.Internal;

/// <summary>
/// The wire format of a Redis entry: a 24-byte header, then the serialized value.
/// <code>
/// 0     magic 0xCA
/// 1     format version (1)
/// 2     flags (bit 0: the value is null; bit 1: a tags block follows the header)
/// 3     reserved (0)
/// 4-7   type tag: FNV-1a of the value type's name and the schema tag, little endian
/// 8-15  creation time, Unix milliseconds
/// 16-23 logical expiry, Unix milliseconds (after it the value is stale, kept only for fail-safe)
/// 24-   when flag bit 1 is set: tag count (UInt16), then per tag its UTF-8 length (UInt16) and bytes
/// then  payload
/// </code>
/// Tags travel with the value so that a node filling its L1 from Redis knows them, and a tag invalidation
/// arriving over the backplane can evict that node's copy.
/// Anything else (another magic, version or type tag, a short buffer) is rejected, and the caller treats it as a miss.
/// </summary>
internal static class CacheEnvelope
{
    public const byte Magic = 0xCA;
    public const byte FormatVersion = 1;
    public const int HeaderLength = 24;
    private const byte NullFlag = 1;
    private const byte TagsFlag = 2;

    public static byte[] Write<T>(ICacheSerializer serializer, T value, uint typeTag, long createdUnixMs, long logicalExpiryUnixMs, IReadOnlyList<string>? tags = null)
    {
        using var buffer = new PooledBufferWriter(512);
        var header = buffer.GetSpan(HeaderLength);
        var hasTags = tags is { Count: > 0 };
        header[0] = Magic;
        header[1] = FormatVersion;
        header[2] = (byte)((value is null ? NullFlag : 0) | (hasTags ? TagsFlag : 0));
        header[3] = 0;
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], typeTag);
        BinaryPrimitives.WriteInt64LittleEndian(header[8..], createdUnixMs);
        BinaryPrimitives.WriteInt64LittleEndian(header[16..], logicalExpiryUnixMs);
        buffer.Advance(HeaderLength);
        if (hasTags)
        {
            WriteTags(buffer, tags!);
        }

        if (value is not null)
        {
            serializer.Serialize(buffer, value);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Where the serialized value starts (after the header and the tags block, if any).</summary>
    public static int PayloadOffset(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderLength || (bytes[2] & TagsFlag) == 0)
        {
            return HeaderLength;
        }

        return TryReadTags(bytes, out _, out var offset) ? offset : bytes.Length;
    }

    private static void WriteTags(PooledBufferWriter buffer, IReadOnlyList<string> tags)
    {
        var count = Math.Min(tags.Count, ushort.MaxValue);
        BinaryPrimitives.WriteUInt16LittleEndian(buffer.GetSpan(2), (ushort)count);
        buffer.Advance(2);
        for (var i = 0; i < count; i++)
        {
            var length = System.Text.Encoding.UTF8.GetByteCount(tags[i]);
            if (length > ushort.MaxValue)
            {
                throw new ArgumentException($"Tag '{tags[i][..32]}...' is longer than {ushort.MaxValue} bytes.", nameof(tags));
            }

            var span = buffer.GetSpan(2 + length);
            BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)length);
            System.Text.Encoding.UTF8.GetBytes(tags[i], span[2..]);
            buffer.Advance(2 + length);
        }
    }

    private static bool TryReadTags(ReadOnlySpan<byte> bytes, out string[]? tags, out int offset)
    {
        tags = null;
        offset = HeaderLength;
        if (bytes.Length < offset + 2)
        {
            return false;
        }

        var count = BinaryPrimitives.ReadUInt16LittleEndian(bytes[offset..]);
        offset += 2;
        var result = new string[count];
        for (var i = 0; i < count; i++)
        {
            if (bytes.Length < offset + 2)
            {
                return false;
            }

            var length = BinaryPrimitives.ReadUInt16LittleEndian(bytes[offset..]);
            offset += 2;
            if (bytes.Length < offset + length)
            {
                return false;
            }

            result[i] = System.Text.Encoding.UTF8.GetString(bytes.Slice(offset, length));
            offset += length;
        }

        tags = result;
        return true;
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

        string[]? tags = null;
        var payloadOffset = HeaderLength;
        if ((bytes[2] & TagsFlag) != 0 && !TryReadTags(bytes, out tags, out payloadOffset))
        {
            problem = "truncated tags block";
            return false;
        }

        header = new EnvelopeHeader(
            (bytes[2] & NullFlag) != 0,
            BinaryPrimitives.ReadInt64LittleEndian(bytes[8..]),
            BinaryPrimitives.ReadInt64LittleEndian(bytes[16..]),
            tags,
            payloadOffset);
        problem = string.Empty;
        return true;
    }
}

/// <summary>The decoded header of an entry.</summary>
internal readonly record struct EnvelopeHeader(bool IsNull, long CreatedUnixMs, long LogicalExpiryUnixMs, string[]? Tags = null, int PayloadOffset = CacheEnvelope.HeaderLength);
