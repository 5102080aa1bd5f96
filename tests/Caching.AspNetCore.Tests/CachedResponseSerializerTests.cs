using System.Buffers;
using System.Text;
using Caching.AspNetCore;

namespace Caching.AspNetCore.Tests;

/// <summary>The binary form a stored response takes in Redis: exact round trips, and damaged bytes rejected, never misread.</summary>
public sealed class CachedResponseSerializerTests
{
    private static readonly CachedResponseSerializer Serializer = new();

    private static readonly CachedResponse Sample = new(
        203,
        ["Content-Type", "application/json; charset=utf-8", "Content-Language", "fr-CH, ünïcødé", "Vary", ""],
        Encoding.UTF8.GetBytes("{\"name\":\"GPU ✓\"}"),
        "\"etag-1\"",
        1_764_000_000_123);

    [Fact]
    public void Every_field_survives_a_round_trip_including_empty_and_non_ASCII_strings()
    {
        var read = Serializer.Deserialize(new ReadOnlySequence<byte>(Write(Sample)));

        Assert.Equal(Sample.StatusCode, read.StatusCode);
        Assert.Equal(Sample.Headers, read.Headers);
        Assert.Equal(Sample.Body, read.Body);
        Assert.Equal(Sample.ETag, read.ETag);
        Assert.Equal(Sample.StoredAtUnixMs, read.StoredAtUnixMs);
    }

    [Fact]
    public void An_empty_body_and_no_headers_round_trip()
    {
        var read = Serializer.Deserialize(new ReadOnlySequence<byte>(Write(new CachedResponse(204, [], [], "\"e\"", 0))));

        Assert.Empty(read.Headers);
        Assert.Empty(read.Body);
    }

    [Fact]
    public void Bytes_split_over_segments_read_as_one()
    {
        var bytes = Write(Sample);
        var first = new Segment(bytes.AsMemory(0, 7));
        var last = first.Append(bytes.AsMemory(7));

        var read = Serializer.Deserialize(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length));

        Assert.Equal(Sample.Body, read.Body);
        Assert.Equal(Sample.Headers, read.Headers);
    }

    [Fact]
    public void Every_truncation_and_any_trailing_byte_is_a_format_error()
    {
        var bytes = Write(Sample);
        for (var length = 0; length < bytes.Length; length++)
        {
            var cut = bytes.AsSpan(0, length).ToArray();
            Assert.Throws<FormatException>(() => Serializer.Deserialize(new ReadOnlySequence<byte>(cut)));
        }

        Assert.Throws<FormatException>(() => Serializer.Deserialize(new ReadOnlySequence<byte>([.. bytes, 0])));
    }

    [Fact]
    public void Another_version_a_negative_length_and_an_odd_header_count_are_format_errors()
    {
        var bytes = Write(Sample);
        var otherVersion = (byte[])bytes.Clone();
        otherVersion[0] = 2;
        var negativeEtagLength = (byte[])bytes.Clone();
        negativeEtagLength[13 + 3] = 0x80;
        var oddHeaders = Write(Sample with { Headers = ["Content-Type"] });

        Assert.Throws<FormatException>(() => Serializer.Deserialize(new ReadOnlySequence<byte>(otherVersion)));
        Assert.Throws<FormatException>(() => Serializer.Deserialize(new ReadOnlySequence<byte>(negativeEtagLength)));
        Assert.Throws<FormatException>(() => Serializer.Deserialize(new ReadOnlySequence<byte>(oddHeaders)));
    }

    [Fact]
    public void The_stored_form_is_smaller_than_the_body_in_base64()
    {
        var body = new byte[2048];
        new Random(7).NextBytes(body);

        var bytes = Write(Sample with { Body = body });

        Assert.True(bytes.Length < Convert.ToBase64String(body).Length, bytes.Length + " bytes");
    }

    private static byte[] Write(CachedResponse response)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Serializer.Serialize(response, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
