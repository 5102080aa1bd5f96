using System.Collections.Concurrent;
using System.Collections.Immutable;
using Caching.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Caching.Analyzers.Tests.Verifiers;

/// <summary>Runs every analyzer of Caching.Analyzers over sources, collecting diagnostics and analyzer exceptions.</summary>
internal static class AnalyzerRunner
{
    public static ImmutableArray<DiagnosticAnalyzer> All { get; } =
        typeof(UnknownHoleAnalyzer).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();

    public static CSharpCompilation Compile(params string[] sources) =>
        CSharpCompilation.Create(
            "Test" + Guid.NewGuid().ToString("N"),
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, new CSharpParseOptions(LanguageVersion.Latest), path: $"/src/File{i}.cs")),
            TestReferences.Metadata,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static async Task<Result> RunAsync(Compilation compilation)
    {
        var exceptions = new ConcurrentBag<Exception>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            (exception, analyzer, diagnostic) => exceptions.Add(new InvalidOperationException($"{analyzer.GetType().Name}: {exception.Message}", exception)),
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false);
        var diagnostics = await compilation.WithAnalyzers(All, options).GetAnalyzerDiagnosticsAsync();
        return new Result(diagnostics, exceptions.ToImmutableArray());
    }

    public sealed record Result(ImmutableArray<Diagnostic> Diagnostics, ImmutableArray<Exception> Exceptions)
    {
        /// <summary>Analyzer failures: thrown exceptions or AD0001 diagnostics.</summary>
        public IEnumerable<string> Failures =>
            Exceptions.Select(e => e.ToString()).Concat(Diagnostics.Where(d => d.Id == "AD0001").Select(d => d.ToString()));
    }
}
