using System.Buffers.Binary;
using System.Reflection;
using System.Reflection.Emit;
using System.Text;
using Caching.Internal;

namespace Caching.Runtime.Tests.Internals;

/// <summary>The Redis wire format (DESIGN invariant 4: foreign or old bytes are a miss, with a reason) and type tags.</summary>
public sealed class CacheEnvelopeTests
{
    private static readonly ICacheSerializer Serializer = new SystemTextJsonCacheSerializer();
    private static readonly uint Tag = TypeTag.Compute(typeof(Widget), null);

    [Fact]
    public void A_written_entry_reads_back_with_its_header_and_value()
    {
        var value = new Widget("w-1", 3, ["a", "b"]);

        var bytes = CacheEnvelope.Write(Serializer, value, Tag, 1_736_870_400_000_000, 1_736_872_200_000_000, null);

        Assert.Equal(CacheEnvelope.Magic, bytes[0]);
        Assert.Equal(CacheEnvelope.FormatVersion, bytes[1]);
        Assert.True(CacheEnvelope.TryReadHeader(bytes, Tag, out var header, out var problem), problem.ToString());
        Assert.Equal(EnvelopeProblem.None, problem);
        Assert.Equal(new EnvelopeHeader(false, 1_736_870_400_000_000, 1_736_872_200_000_000), header);
        var back = Serializer.Deserialize<Widget>(bytes.AsSpan(CacheEnvelope.HeaderLength));
        Assert.Equal(value.Id, back.Id);
        Assert.Equal(value.Count, back.Count);
        Assert.Equal(value.Tags, back.Tags);
    }

    [Fact]
    public void The_header_layout_is_fixed_because_the_store_script_reads_the_stamp_at_offset_8()
    {
        var bytes = CacheEnvelope.Write(Serializer, "v", 0xDEADBEEF, 0x0102030405060708, -1, null);

        Assert.Equal(24, CacheEnvelope.HeaderLength);
        Assert.Equal([0xCA, 2, 0, 0], bytes[..4]);
        Assert.Equal(0xDEADBEEFu, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(0x0102030405060708, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(-1, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(16)));
        Assert.Equal("\"v\"", Encoding.UTF8.GetString(bytes.AsSpan(24)));
    }

    [Fact]
    public void Tag_scopes_travel_between_the_header_and_the_payload()
    {
        var value = new Widget("w-1", 3, []);
        ulong[] scopes = [Caching.Invalidation.Scopes.Tag("tenant:7"), Caching.Invalidation.Scopes.Tag("région:é")];

        var bytes = CacheEnvelope.Write(Serializer, value, Tag, 10, 20, scopes);

        Assert.Equal(2, bytes[3]);
        Assert.True(CacheEnvelope.TryReadHeader(bytes, Tag, out var header, out var problem), problem.ToString());
        Assert.Equal(scopes, CacheEnvelope.TagScopes(bytes).ToArray());
        Assert.Equal((false, 10L, 20L), (header.IsNull, header.Stamp, header.LogicalExpiryUs));
        Assert.Equal(header.PayloadOffset, CacheEnvelope.PayloadOffset(bytes));
        Assert.Equal(CacheEnvelope.HeaderLength + 16, header.PayloadOffset);
        Assert.Equal(value.Id, Serializer.Deserialize<Widget>(bytes.AsSpan(header.PayloadOffset)).Id);
    }

    [Fact]
    public void Without_tags_the_payload_follows_the_header()
    {
        var bytes = CacheEnvelope.Write(Serializer, "v", Tag, 1, 2, []);

        Assert.Equal(0, bytes[3]);
        Assert.True(CacheEnvelope.TryReadHeader(bytes, Tag, out var header, out _));
        Assert.True(CacheEnvelope.TagScopes(bytes).IsEmpty);
        Assert.Equal(CacheEnvelope.HeaderLength, header.PayloadOffset);
        Assert.Equal(CacheEnvelope.HeaderLength, CacheEnvelope.PayloadOffset(bytes));
    }

    [Fact]
    public void More_than_255_tags_are_refused_rather_than_silently_dropped()
    {
        var scopes = new ulong[256];

        Assert.Throws<ArgumentException>(() => CacheEnvelope.Write(Serializer, "v", Tag, 1, 2, scopes));
    }

    [Fact]
    public void A_truncated_tags_block_is_rejected()
    {
        var bytes = CacheEnvelope.Write<string?>(Serializer, null, Tag, 1, 2, [Caching.Invalidation.Scopes.Tag("tenant:7")]);

        for (var length = CacheEnvelope.HeaderLength; length < bytes.Length; length++)
        {
            Assert.False(CacheEnvelope.TryReadHeader(bytes.AsSpan(0, length), Tag, out _, out var problem));
            Assert.Equal(EnvelopeProblem.Truncated, problem);
            Assert.Equal("truncated tags block", CacheEnvelope.Describe(problem));
        }

        Assert.True(CacheEnvelope.TryReadHeader(bytes, Tag, out var header, out _));
        Assert.True(header.IsNull);
    }

    [Fact]
    public void A_null_value_is_a_flag_with_no_payload()
    {
        var bytes = CacheEnvelope.Write<Widget?>(Serializer, null, Tag, 1, 2, null);

        Assert.Equal(CacheEnvelope.HeaderLength, bytes.Length);
        Assert.True(CacheEnvelope.TryReadHeader(bytes, Tag, out var header, out _));
        Assert.True(header.IsNull);
    }

    [Fact]
    public void A_tombstone_carries_its_mark_where_a_stamp_would_be_and_reads_as_a_tombstone_not_as_damage()
    {
        var bytes = CacheEnvelope.Tombstone(1_736_870_400_123_456);

        Assert.Equal(CacheEnvelope.HeaderLength, bytes.Length);
        Assert.Equal(1_736_870_400_123_456, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8)));
        Assert.False(CacheEnvelope.TryReadHeader(bytes, Tag, out _, out var problem));
        Assert.Equal(EnvelopeProblem.Tombstone, problem);
    }

    [Fact]
    public void Bytes_that_are_not_an_entry_are_rejected()
    {
        var bytes = CacheEnvelope.Write(Serializer, new Widget("w", 1, []), Tag, 1, 2, null);
        bytes[0] = (byte)'{';

        Assert.False(CacheEnvelope.TryReadHeader(bytes, Tag, out var header, out var problem));
        Assert.Equal("not a cache entry (unknown header)", CacheEnvelope.Describe(problem));
        Assert.Equal(default, header);
        Assert.False(CacheEnvelope.TryReadHeader(Encoding.UTF8.GetBytes("{\"id\":\"w\"}"), Tag, out _, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(23)]
    public void A_short_buffer_is_rejected(int length)
    {
        var bytes = CacheEnvelope.Write(Serializer, "value", Tag, 1, 2, null)[..length];

        Assert.False(CacheEnvelope.TryReadHeader(bytes, Tag, out _, out var problem));
        Assert.Equal(EnvelopeProblem.Foreign, problem);
    }

    [Theory]
    [InlineData(1, (int)EnvelopeProblem.OlderFormat)]
    [InlineData(3, (int)EnvelopeProblem.Foreign)]
    public void Another_format_version_is_rejected(byte version, int expectedProblem)
    {
        var expected = (EnvelopeProblem)expectedProblem;
        var bytes = CacheEnvelope.Write(Serializer, "value", Tag, 1, 2, null);
        bytes[1] = version;

        Assert.False(CacheEnvelope.TryReadHeader(bytes, Tag, out _, out var problem));
        Assert.Equal(expected, problem);
    }

    [Fact]
    public void An_entry_for_another_type_or_schema_is_rejected()
    {
        var bytes = CacheEnvelope.Write(Serializer, new Widget("w", 1, []), Tag, 1, 2, null);

        Assert.False(CacheEnvelope.TryReadHeader(bytes, TypeTag.Compute(typeof(Widget), "v2"), out _, out var problem));
        Assert.Equal("written for another type or schema", CacheEnvelope.Describe(problem));
        Assert.False(CacheEnvelope.TryReadHeader(bytes, TypeTag.Compute(typeof(string), null), out _, out _));
    }

    [Fact]
    public void The_type_tag_is_FNV_1a_of_the_qualified_name_and_the_schema_tag()
    {
        // Stored in Redis by every version of the runtime, so its definition must not drift.
        Assert.Equal(Fnv1a("System.String"), TypeTag.Compute(typeof(string), null));
        Assert.Equal(Fnv1a("System.String"), TypeTag.Compute(typeof(string), string.Empty));
        Assert.Equal(Fnv1a("System.Collections.Generic.List<System.String>|v2"), TypeTag.Compute(typeof(List<string>), "v2"));
        Assert.Equal(Fnv1a("System.Int32[]"), TypeTag.Compute(typeof(int[]), null));
        Assert.Equal(Fnv1a("System.Int32[,]"), TypeTag.Compute(typeof(int[,]), null));
        Assert.Equal(Fnv1a("Caching.Runtime.Tests.Internals.CacheEnvelopeTests+Widget"), TypeTag.Compute(typeof(Widget), null));
        Assert.Equal(
            Fnv1a("System.Collections.Generic.Dictionary<System.String,Caching.Runtime.Tests.Internals.CacheEnvelopeTests+Widget>"),
            TypeTag.Compute(typeof(Dictionary<string, Widget>), null));
    }

    [Fact]
    public void The_type_tag_ignores_the_assembly_version()
    {
        var v1 = DefineType("Shop.Models.Order", new Version(1, 0, 0, 0));
        var v2 = DefineType("Shop.Models.Order", new Version(2, 5, 0, 0));
        var other = DefineType("Shop.Models.Invoice", new Version(1, 0, 0, 0));

        Assert.NotEqual(v1.Assembly.FullName, v2.Assembly.FullName);
        Assert.Equal(TypeTag.Compute(v1, null), TypeTag.Compute(v2, null));
        Assert.Equal(TypeTag.Compute(typeof(List<>).MakeGenericType(v1), "s"), TypeTag.Compute(typeof(List<>).MakeGenericType(v2), "s"));
        Assert.NotEqual(TypeTag.Compute(v1, null), TypeTag.Compute(other, null));
    }

    [Fact]
    public void Different_schema_tags_and_types_give_different_tags()
    {
        var tags = new[]
        {
            TypeTag.Compute(typeof(Widget), null),
            TypeTag.Compute(typeof(Widget), "a1b2"),
            TypeTag.Compute(typeof(Widget), "a1b3"),
            TypeTag.Compute(typeof(List<Widget>), null),
            TypeTag.Compute(typeof(Widget[]), null),
            TypeTag.Compute(typeof(string), null),
            TypeTag.Compute(typeof(List<string>), null),
            TypeTag.Compute(typeof(List<int>), null),
        };

        Assert.Equal(tags.Length, tags.Distinct().Count());
    }

    private static Type DefineType(string fullName, Version version)
    {
        var assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("Shop.Models") { Version = version }, AssemblyBuilderAccess.RunAndCollect);
        var module = assembly.DefineDynamicModule("Shop.Models");
        return module.DefineType(fullName, TypeAttributes.Public | TypeAttributes.Sealed).CreateType();
    }

    private static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return hash;
    }

    public sealed record Widget(string Id, int Count, string[] Tags);
}
