using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Caching.Generators.Tests.Infrastructure;

/// <summary>Compiles test sources in memory against this process's assemblies (Caching.Runtime included) and runs the generator.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return [.. paths.Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    });

    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CSharpCompilation.Create(
            "Consumer" + Guid.NewGuid().ToString("N")[..8],
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Source{i}.cs")),
            References.Value,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                warningLevel: 9999,
                // Version unification notes between the runtime's own assemblies, as the SDK silences them too.
                specificDiagnosticOptions: [new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress)]));

    public static GeneratorDriver CreateDriver() => CSharpGeneratorDriver.Create(
        [new CachingDecoratorGenerator().AsSourceGenerator()],
        parseOptions: ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator and returns its sources, its diagnostics and the compilation's diagnostics with them.</summary>
    public static GeneratorResult Run(params string[] sources)
    {
        var compilation = CreateCompilation(sources);
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        var run = driver.GetRunResult();
        var generated = run.Results.SelectMany(r => r.GeneratedSources).ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        var compileDiagnostics = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        return new GeneratorResult(generated, generatorDiagnostics, compileDiagnostics, (CSharpCompilation)output);
    }
}

internal sealed record GeneratorResult(
    IReadOnlyDictionary<string, string> Sources,
    ImmutableArray<Diagnostic> GeneratorDiagnostics,
    IReadOnlyList<Diagnostic> CompilationDiagnostics,
    CSharpCompilation Compilation)
{
    public string Source(string hintName) => Sources.TryGetValue(hintName, out var text)
        ? text
        : throw new Xunit.Sdk.XunitException($"No generated file '{hintName}'. Generated: {string.Join(", ", Sources.Keys)}");

    /// <summary>Fails with every diagnostic when the consumer compilation (with the generated code) is not warning-free.</summary>
    public GeneratorResult AssertCompilesCleanly()
    {
        var problems = GeneratorDiagnostics.Concat(CompilationDiagnostics).Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        if (problems.Count > 0)
        {
            var files = string.Join("\n", Sources.Select(s => $"// ---- {s.Key}\n{s.Value}"));
            throw new Xunit.Sdk.XunitException("Expected no warnings or errors, got:\n" + string.Join("\n", problems) + "\n\nGenerated:\n" + files);
        }

        return this;
    }
}
