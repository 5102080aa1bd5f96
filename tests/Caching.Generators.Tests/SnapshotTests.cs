using System.Text;
using Caching.Generators.Tests.Infrastructure;

namespace Caching.Generators.Tests;

/// <summary>The generated text for each supported shape, compared with the approved snapshot, and compiled warning-free.</summary>
public sealed class SnapshotTests
{
    public static TheoryData<string> ShapeNames => [.. Shapes.All.Keys];

    [Theory]
    [MemberData(nameof(ShapeNames))]
    public void Decorators_match_the_approved_snapshot_and_compile_without_warnings(string shape)
    {
        var result = GeneratorHarness.Run(Shapes.All[shape]).AssertCompilesCleanly();

        Snapshot.Match(Decorators(result), shape);
    }

    [Fact]
    public void AddCachingDecorators_matches_the_approved_snapshot()
    {
        var result = GeneratorHarness.Run(Shapes.Basic, Shapes.GenericInterface).AssertCompilesCleanly();

        Snapshot.Match(result.Source("CachingDecoratorServiceCollectionExtensions.g.cs"), "Registrations");
    }

    [Fact]
    public void Unsupported_methods_are_forwarded_with_a_diagnostic_each_and_the_code_compiles()
    {
        var result = GeneratorHarness.Run(Shapes.Unsupported);

        Assert.DoesNotContain(result.CompilationDiagnostics, d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        var messages = result.GeneratorDiagnostics.Select(d => d.Id + " " + d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.All(result.GeneratorDiagnostics, d => Assert.Equal("CACHEGEN001", d.Id));
        Assert.All(result.GeneratorDiagnostics, d => Assert.Equal("Source0.cs", d.Location.GetLineSpan().Path));
        Assert.Collection(
            messages,
            m => Assert.Contains("ByRef(ref int)' is forwarded", m, StringComparison.Ordinal),
            m => Assert.Contains("TryGet(int, out string)' is forwarded", m, StringComparison.Ordinal),
            m => Assert.Contains("ByIn(in int)' is forwarded", m, StringComparison.Ordinal),
            m => Assert.Contains("IAsyncEnumerable<T> results are streamed", m, StringComparison.Ordinal),
            m => Assert.Contains("ref struct or a pointer", m, StringComparison.Ordinal),
            m => Assert.Contains("\"bad:{id\" is invalid", m, StringComparison.Ordinal),
            m => Assert.Contains("{userId} names no parameter", m, StringComparison.Ordinal),
            m => Assert.Contains("returns no value to cache", m, StringComparison.Ordinal),
            m => Assert.Contains("LocalTtl \"soon\" is not", m, StringComparison.Ordinal),
            m => Assert.Contains("both [Cached] and [InvalidatesCache]", m, StringComparison.Ordinal));
        Snapshot.Match(Decorators(result), "Unsupported");
    }

    private static string Decorators(GeneratorResult result)
    {
        var text = new StringBuilder();
        foreach (var (hintName, source) in result.Sources.Where(s => !s.Key.StartsWith("CachingDecoratorServiceCollectionExtensions", StringComparison.Ordinal)).OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            text.Append("// ---- ").Append(hintName).Append('\n').Append(source);
        }

        return text.ToString();
    }
}
