using System.Collections.Immutable;
using System.ComponentModel;
using Caching.Internal;

namespace Caching.Runtime.Tests.Internals;

/// <summary>Which values L1 may share between callers (DESIGN invariant 8) when the runtime decides at run time.</summary>
public sealed class ImmutabilityRulesTests
{
    public enum Color
    {
        Red,
    }

    public static TheoryData<Type> ImmutableTypes() => new()
    {
        typeof(string),
        typeof(int),
        typeof(double),
        typeof(decimal),
        typeof(Guid),
        typeof(DateTime),
        typeof(DateTimeOffset),
        typeof(TimeSpan),
        typeof(int?),
        typeof(Color),
        typeof(Uri),
        typeof(PositionalRecord),
        typeof(InitOnlyRecord),
        typeof(OpenRecord),
        typeof(NestedRecord),
        typeof(LinkedRecord),
        typeof(GetOnlyClass),
        typeof(ReadOnlyPoint),
        typeof(ReadOnlyPoint?),
        typeof(FieldOnlyStruct),
        typeof(MarkedImmutable),
        typeof(ImmutableArray<string>),
        typeof(ImmutableList<PositionalRecord>),
        typeof(ImmutableDictionary<string, int>),
        typeof(KeyValuePair<string, int>),
        typeof(RecordWithImmutableArray),
        typeof(ReadOnlyRecordStruct),

        // A struct is copied when it is returned, so a caller changing its fields changes only its own copy; the
        // generator has always judged so, and the runtime now agrees (ImmutabilityParityTests).
        typeof(MutableStruct),
        typeof(ValueTuple<int, string>),
        typeof(MutableRecordStruct),
        typeof(System.Text.Json.JsonElement),
        typeof(System.Collections.Frozen.FrozenSet<string>),
    };

    public static TheoryData<Type> MutableTypes() => new()
    {
        typeof(object),
        typeof(SettableClass),
        typeof(SealedSettableClass),
        typeof(List<string>),
        typeof(Dictionary<string, string>),
        typeof(string[]),
        typeof(int[]),
        typeof(IReadOnlyList<string>),
        typeof(RecordWithList),
        typeof(RecordWithSettableProperty),
        typeof(RecordWithArray),
        typeof(RecordWithObject),
        typeof(RecordWithMutableNested),
        typeof(ReadOnlyStructWithList),
        typeof(ImmutableArray<List<int>>),
        typeof(Tuple<int, string>),
        typeof(DerivedWithSetter),
    };

    [Theory]
    [MemberData(nameof(ImmutableTypes))]
    public void Immutable_types_may_be_shared(Type type)
    {
        Assert.True(ImmutabilityRules.IsImmutable(type, []), type.ToString());
    }

    [Theory]
    [MemberData(nameof(MutableTypes))]
    public void Mutable_types_are_copied(Type type)
    {
        Assert.False(ImmutabilityRules.IsImmutable(type, []), type.ToString());
    }

    [Fact]
    public void TypeTraits_caches_the_same_answer_per_type()
    {
        Assert.True(TypeTraits<PositionalRecord>.IsImmutable);
        Assert.True(TypeTraits<string>.IsImmutable);
        Assert.False(TypeTraits<RecordWithList>.IsImmutable);
        Assert.False(TypeTraits<List<int>>.IsImmutable);
    }

    public sealed record PositionalRecord(string Id, int Count);

    public sealed record InitOnlyRecord
    {
        public string Name { get; init; } = string.Empty;

        public DateTimeOffset At { get; init; }
    }

    public record OpenRecord(string Id);

    public sealed record NestedRecord(PositionalRecord Inner, Color Color, int? Maybe);

    public sealed record LinkedRecord(string Value, LinkedRecord? Next);

    public sealed record RecordWithImmutableArray(ImmutableArray<string> Items);

    public sealed class GetOnlyClass(string name)
    {
        public string Name { get; } = name;
    }

    public readonly struct ReadOnlyPoint(int x, int y)
    {
        public int X { get; } = x;

        public int Y { get; } = y;
    }

    public struct FieldOnlyStruct(int x)
    {
        public readonly int X = x;
    }

    [ImmutableObject(true)]
    public sealed class MarkedImmutable
    {
        public string Name { get; set; } = string.Empty;
    }

    public class SettableClass
    {
        public string Name { get; set; } = string.Empty;
    }

    public sealed class SealedSettableClass
    {
        public string Name { get; set; } = string.Empty;
    }

    public sealed record RecordWithList(string Id, List<string> Roles);

    public sealed record RecordWithSettableProperty(string Id)
    {
        public int Count { get; set; }
    }

    public sealed record RecordWithArray(string Id, int[] Values);

    public sealed record RecordWithObject(object Payload);

    public sealed record RecordWithMutableNested(PositionalRecord Ok, SealedSettableClass Bad);

    public struct MutableStruct(int x)
    {
        public int X = x;
    }

    public readonly struct ReadOnlyStructWithList(List<int> values)
    {
        public List<int> Values { get; } = values;
    }

    public readonly record struct ReadOnlyRecordStruct(string Id, int Count);

    public record struct MutableRecordStruct(string Id, int Count);

    public record BaseWithSetter
    {
        public int Count { get; set; }
    }

    public sealed record DerivedWithSetter(string Id) : BaseWithSetter;
}
