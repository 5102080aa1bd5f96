using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Caching.Internal;

/// <summary>
/// The wire format of a Redis entry (format 2): a 24-byte header, the entry's tag scopes, then the serialized value.
/// <code>
/// 0     magic 0xCA
/// 1     format version (2)
/// 2     flags (bit 0: the value is null; bit 1: a tombstone, no value)
/// 3     number of tag scopes (0-255)
/// 4-7   type tag: FNV-1a of the value type's name and the schema tag, little endian
/// 8-15  stamp: reference-clock microseconds at which the load began (for a tombstone: the removal's mark)
/// 16-23 logical expiry, reference-clock microseconds (after it the value is stale, kept only for fail-safe)
/// 24-   tag scopes, 8 bytes each (little endian), then the payload
/// </code>
/// The stamp sits at a fixed offset because the store script compares it inside Redis. Key-prefix scopes are not
/// stored: every reader derives them from the key. Format 1 entries (from a version before the invalidation rework)
/// are rejected like any unreadable payload: counted, deleted, reloaded.
/// </summary>
internal static class CacheEnvelope
{
    public const byte Magic = 0xCA;
    public const byte FormatVersion = 2;
    public const int HeaderLength = 24;
    public const int MaxTags = byte.MaxValue;
    private const byte NullFlag = 1;
    private const byte TombstoneFlag = 2;

    public static byte[] Write<T>(ICacheSerializer serializer, T value, uint typeTag, long stamp, long logicalExpiryUs, ulong[]? tagScopes)
    {
        var count = tagScopes?.Length ?? 0;
        if (count > MaxTags)
        {
            throw new ArgumentException($"An entry carries at most {MaxTags} tags; this one has {count}.", nameof(tagScopes));
        }

        using var buffer = new PooledBufferWriter(512);
        var header = buffer.GetSpan(HeaderLength + (count * 8));
        WriteHeader(header, value is null ? NullFlag : (byte)0, (byte)count, typeTag, stamp, logicalExpiryUs);
        for (var i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(header[(HeaderLength + (i * 8))..], tagScopes![i]);
        }

        buffer.Advance(HeaderLength + (count * 8));
        if (value is not null)
        {
            serializer.Serialize(buffer, value);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The length <see cref="Write"/> would return, in pooled memory: what the L1 budget charges a shared value.</summary>
    public static int Measure<T>(ICacheSerializer serializer, T value, int tagCount)
    {
        using var buffer = new PooledBufferWriter(512);
        if (value is not null)
        {
            serializer.Serialize(buffer, value);
        }

        return HeaderLength + (tagCount * 8) + buffer.WrittenSpan.Length;
    }

    /// <summary>What a removal leaves in the key: no value, and the removal's mark where a stamp would be.</summary>
    public static byte[] Tombstone(long mark)
    {
        var bytes = new byte[HeaderLength];
        WriteHeader(bytes, TombstoneFlag, 0, 0, mark, 0);
        return bytes;
    }

    /// <summary>Where the serialized value starts.</summary>
    public static int PayloadOffset(ReadOnlySpan<byte> bytes) => bytes.Length < HeaderLength ? HeaderLength : HeaderLength + (bytes[3] * 8);

    /// <summary>The tag scopes stored with the entry (a view over its bytes).</summary>
    public static ReadOnlySpan<ulong> TagScopes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderLength || bytes[3] == 0 || bytes.Length < HeaderLength + (bytes[3] * 8))
        {
            return [];
        }

        var raw = bytes.Slice(HeaderLength, bytes[3] * 8);
        return BitConverter.IsLittleEndian ? MemoryMarshal.Cast<byte, ulong>(raw) : Swap(raw);
    }

    /// <summary>Reads the header; false when the bytes are not a live entry of this format and type.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> bytes, uint expectedTypeTag, out EnvelopeHeader header, out EnvelopeProblem problem)
    {
        header = default;
        if (bytes.Length < HeaderLength || bytes[0] != Magic)
        {
            problem = EnvelopeProblem.Foreign;
            return false;
        }

        if (bytes[1] != FormatVersion)
        {
            problem = bytes[1] < FormatVersion ? EnvelopeProblem.OlderFormat : EnvelopeProblem.Foreign;
            return false;
        }

        if ((bytes[2] & TombstoneFlag) != 0)
        {
            problem = EnvelopeProblem.Tombstone;
            return false;
        }

        if (bytes.Length < HeaderLength + (bytes[3] * 8))
        {
            problem = EnvelopeProblem.Truncated;
            return false;
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]) != expectedTypeTag)
        {
            problem = EnvelopeProblem.OtherType;
            return false;
        }

        header = new EnvelopeHeader(
            (bytes[2] & NullFlag) != 0,
            BinaryPrimitives.ReadInt64LittleEndian(bytes[8..]),
            BinaryPrimitives.ReadInt64LittleEndian(bytes[16..]),
            HeaderLength + (bytes[3] * 8));
        problem = EnvelopeProblem.None;
        return true;
    }

    public static string Describe(EnvelopeProblem problem) => problem switch
    {
        EnvelopeProblem.Foreign => "not a cache entry (unknown header)",
        EnvelopeProblem.OlderFormat => "an older format version",
        EnvelopeProblem.Truncated => "truncated tags block",
        EnvelopeProblem.OtherType => "written for another type or schema",
        _ => problem.ToString(),
    };

    private static void WriteHeader(Span<byte> header, byte flags, byte tagCount, uint typeTag, long stamp, long logicalExpiryUs)
    {
        header[0] = Magic;
        header[1] = FormatVersion;
        header[2] = flags;
        header[3] = tagCount;
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], typeTag);
        BinaryPrimitives.WriteInt64LittleEndian(header[8..], stamp);
        BinaryPrimitives.WriteInt64LittleEndian(header[16..], logicalExpiryUs);
    }

    private static ulong[] Swap(ReadOnlySpan<byte> raw)
    {
        var values = new ulong[raw.Length / 8];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadUInt64LittleEndian(raw[(i * 8)..]);
        }

        return values;
    }
}

/// <summary>Why bytes in Redis are not a usable entry.</summary>
internal enum EnvelopeProblem
{
    None,
    Foreign,
    OlderFormat,
    Tombstone,
    Truncated,
    OtherType,
}

/// <summary>The decoded header of an entry.</summary>
internal readonly record struct EnvelopeHeader(bool IsNull, long Stamp, long LogicalExpiryUs, int PayloadOffset = CacheEnvelope.HeaderLength);
