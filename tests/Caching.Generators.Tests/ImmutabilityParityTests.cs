using System.Reflection;
using System.Runtime.Loader;
using Caching.Generators.Parsing;
using Caching.Generators.Tests.Infrastructure;
using Caching.Internal;

namespace Caching.Generators.Tests;

/// <summary>
/// Whether an L1 hit may hand out the shared instance is decided twice: by the generator from symbols (the decorator's
/// Sharing) and by the runtime from reflection (<c>ValueSharing.Auto</c> for direct callers). Issue 12, finding 3: they
/// disagreed. Here one catalogue of types is compiled once, judged by both from the same compilation, and each verdict
/// is pinned, so neither can drift from the other or from the rule.
/// </summary>
public sealed class ImmutabilityParityTests
{
    private const string Catalogue = """
        using System;
        using System.Collections.Frozen;
        using System.Collections.Generic;
        using System.Collections.Immutable;
        using System.ComponentModel;
        using System.Text.Json;

        namespace Shapes;

        public enum Color { Red, Green }
        public sealed class SealedGetOnly { public SealedGetOnly(string name) => Name = name; public string Name { get; } }
        public sealed class SealedInitOnly { public string Name { get; init; } = ""; public int Count { get; init; } }
        public sealed class SealedWithSetter { public string Name { get; set; } = ""; }
        public class OpenGetOnly { public OpenGetOnly(string name) => Name = name; public string Name { get; } }
        public sealed record PositionalRecord(string Name, int Count, DateTimeOffset At);
        public record OpenRecord(string Name);
        public sealed record RecordWithSetter { public string Name { get; set; } = ""; }
        public sealed record RecordOfList(List<string> Items);
        public sealed record RecordOfReadOnlyList(IReadOnlyList<string> Items);
        public sealed record RecordOfImmutable(ImmutableArray<string> Items, ImmutableDictionary<string, int> Counts);
        public sealed record RecordOfFrozen(FrozenSet<string> Items);
        public sealed record RecordOfArray(string[] Items);
        public sealed record RecordOfLeaves(Uri Link, Version Version, Guid Id, TimeSpan Span, DateOnly Day, Color Color, decimal Price, Half Small, Int128 Big);
        public sealed record RecordOfNullable(int? Count, DateTime? At);
        public sealed record RecordOfJson(JsonElement Payload);
        public sealed record RecordOfObject(object Value);
        public readonly struct ReadOnlyPoint { public ReadOnlyPoint(int x) => X = x; public int X { get; } }
        public struct MutablePoint { public int X; public int Y; }
        public struct StructOfList { public List<int> Items; }
        public sealed record RecordOfTuple((int Id, string Name) Pair);
        [ImmutableObject(true)] public sealed class DeclaredImmutable { public string Name { get; set; } = ""; }
        public sealed class Node { public Node(Node? next) => Next = next; public Node? Next { get; } }
        public sealed class PrivateMutableField { private int _hits; public int Hits => _hits; public void Hit() => _hits++; }
        public class MutableBase { public int Count { get; set; } }
        public sealed class DerivedFromMutable : MutableBase { }
        public sealed class OfInterface { public OfInterface(IEnumerable<int> items) => Items = items; public IEnumerable<int> Items { get; } }
        """;

    // The rule, one verdict per type (DESIGN invariant 8): shared only when no caller can change what another reads.
    public static TheoryData<string, bool> Verdicts => new()
    {
        { "Shapes.Color", true },
        { "Shapes.SealedGetOnly", true },
        { "Shapes.SealedInitOnly", true },
        { "Shapes.SealedWithSetter", false },
        // A derived type may add state that can change: a class must be sealed (or a record) to be shared.
        { "Shapes.OpenGetOnly", false },
        { "Shapes.PositionalRecord", true },
        { "Shapes.OpenRecord", true },
        { "Shapes.RecordWithSetter", false },
        { "Shapes.RecordOfList", false },
        // The List<T> behind an IReadOnlyList<T> after deserialization can be cast back and changed.
        { "Shapes.RecordOfReadOnlyList", false },
        { "Shapes.RecordOfImmutable", true },
        { "Shapes.RecordOfFrozen", true },
        { "Shapes.RecordOfArray", false },
        { "Shapes.RecordOfLeaves", true },
        { "Shapes.RecordOfNullable", true },
        { "Shapes.RecordOfJson", true },
        { "Shapes.RecordOfObject", false },
        { "Shapes.ReadOnlyPoint", true },
        // A struct is copied when it is returned: only what its fields point to can be shared.
        { "Shapes.MutablePoint", true },
        { "Shapes.StructOfList", false },
        { "Shapes.RecordOfTuple", true },
        { "Shapes.DeclaredImmutable", true },
        { "Shapes.Node", true },
        { "Shapes.PrivateMutableField", false },
        { "Shapes.DerivedFromMutable", false },
        { "Shapes.OfInterface", false },
    };

    private static readonly Lazy<(Microsoft.CodeAnalysis.Compilation Compilation, Assembly Assembly)> Compiled = new(() =>
    {
        var compilation = GeneratorHarness.CreateCompilation(Catalogue);
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        image.Position = 0;
        return (compilation, new AssemblyLoadContext("ImmutabilityParity", isCollectible: true).LoadFromStream(image));
    });

    [Theory]
    [MemberData(nameof(Verdicts))]
    public void The_generator_and_the_runtime_give_the_rules_verdict(string typeName, bool immutable)
    {
        var (compilation, assembly) = Compiled.Value;
        var symbol = compilation.GetTypeByMetadataName(typeName) ?? throw new InvalidOperationException(typeName);
        var type = assembly.GetType(typeName, throwOnError: true)!;

        var atCompileTime = ValueShape.IsImmutable(symbol, out var reason);
        var atRunTime = ImmutabilityRules.IsImmutable(type, []);

        Assert.True(atCompileTime == immutable, $"generator: {typeName} {(atCompileTime ? "shared" : "copied")} ({reason})");
        Assert.True(atRunTime == immutable, $"runtime: {typeName} {(atRunTime ? "shared" : "copied")}");
    }
}
