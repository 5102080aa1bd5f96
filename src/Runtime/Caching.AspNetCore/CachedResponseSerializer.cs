using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Microsoft.Extensions.Caching.Hybrid;

namespace Caching.AspNetCore;

/// <summary>
/// The binary form of a <see cref="CachedResponse"/> in Redis. JSON wrote the body as base64, a third larger, and
/// parsed it back on every Redis hit. (It was not what kept the L1-off throughput below OutputCache's, as measured
/// in tests/Caching.HttpBenchmarks/README.md.) Layout, little-endian: version byte, status (int32), stored-at (int64), ETag, header count (int32)
/// and that many strings, body length (int32) and the body; a string is its UTF-8 length (int32) and bytes.
/// </summary>
internal sealed class CachedResponseSerializer : IHybridCacheSerializer<CachedResponse>
{
    private const byte Version = 1;

    public void Serialize(CachedResponse value, IBufferWriter<byte> target)
    {
        var size = 1 + 4 + 8 + SizeOf(value.ETag) + 4 + 4 + value.Body.Length;
        foreach (var header in value.Headers)
        {
            size += SizeOf(header);
        }

        var span = target.GetSpan(size);
        span[0] = Version;
        BinaryPrimitives.WriteInt32LittleEndian(span[1..], value.StatusCode);
        BinaryPrimitives.WriteInt64LittleEndian(span[5..], value.StoredAtUnixMs);
        var at = 13 + Write(span[13..], value.ETag);
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], value.Headers.Length);
        at += 4;
        foreach (var header in value.Headers)
        {
            at += Write(span[at..], header);
        }

        BinaryPrimitives.WriteInt32LittleEndian(span[at..], value.Body.Length);
        value.Body.CopyTo(span[(at + 4)..]);
        target.Advance(size);
    }

    public CachedResponse Deserialize(ReadOnlySequence<byte> source)
    {
        var reader = new Reader(source.IsSingleSegment ? source.FirstSpan : source.ToArray());
        if (reader.Byte() != Version)
        {
            throw new FormatException("A stored response of an unknown format version.");
        }

        var status = reader.Int32();
        var storedAt = reader.Int64();
        var etag = reader.String();
        var headers = new string[reader.Count(minBytesEach: 4)];
        if (headers.Length % 2 != 0)
        {
            throw new FormatException("A stored response whose headers are not name/value pairs.");
        }

        for (var i = 0; i < headers.Length; i++)
        {
            headers[i] = reader.String();
        }

        var body = reader.Bytes();
        reader.End();
        return new CachedResponse(status, headers, body, etag, storedAt);
    }

    private static int SizeOf(string text) => 4 + Encoding.UTF8.GetByteCount(text);

    private static int Write(Span<byte> destination, string text)
    {
        var written = Encoding.UTF8.GetBytes(text, destination[4..]);
        BinaryPrimitives.WriteInt32LittleEndian(destination, written);
        return 4 + written;
    }

    /// <summary>Reads the layout and throws <see cref="FormatException"/>, which the cache counts as a bad payload and a miss, on any inconsistency.</summary>
    private ref struct Reader(ReadOnlySpan<byte> bytes)
    {
        private ReadOnlySpan<byte> _rest = bytes;

        public byte Byte() => Take(1)[0];

        public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

        public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

        public string String() => Encoding.UTF8.GetString(Take(Count(minBytesEach: 1)));

        public byte[] Bytes() => Take(Count(minBytesEach: 1)).ToArray();

        /// <summary>A length or count that the remaining bytes can hold.</summary>
        public int Count(int minBytesEach)
        {
            var count = Int32();
            if (count < 0 || (long)count * minBytesEach > _rest.Length)
            {
                throw new FormatException("A stored response with a length beyond its bytes.");
            }

            return count;
        }

        public readonly void End()
        {
            if (!_rest.IsEmpty)
            {
                throw new FormatException("A stored response with bytes after its body.");
            }
        }

        private ReadOnlySpan<byte> Take(int length)
        {
            if (length > _rest.Length)
            {
                throw new FormatException("A stored response cut short.");
            }

            var taken = _rest[..length];
            _rest = _rest[length..];
            return taken;
        }
    }
}
