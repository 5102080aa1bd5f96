using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Caching.Analyzers.Tests.Verifiers;

/// <summary>Runs one analyzer over test code with nullable enabled and the caching attributes referenced.</summary>
public static class AnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor) => new(descriptor);

    public static Task VerifyAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    public sealed class Test : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    {
        public Test()
        {
            TestSetup.Configure(this);
        }
    }
}

/// <summary>Runs one analyzer and one code fix, single fixes and Fix All (document, project, solution).</summary>
public static class CodeFixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider, new()
{
    public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor) => new(descriptor);

    public static Task VerifyAsync(string source, string fixedSource, string? equivalenceKey = null, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source, FixedCode = fixedSource, CodeActionEquivalenceKey = equivalenceKey };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    public sealed class Test : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    {
        public Test()
        {
            TestSetup.Configure(this);
        }
    }
}

internal static class TestSetup
{
    public static void Configure<TVerifier>(AnalyzerTest<TVerifier> test)
        where TVerifier : IVerifier, new()
    {
        test.ReferenceAssemblies = TestReferences.ReferenceAssemblies;
        test.TestState.AdditionalReferences.AddRange(TestReferences.Metadata);
        test.SolutionTransforms.Add((solution, projectId) =>
        {
            var project = solution.GetProject(projectId)!;
            var options = ((CSharpCompilationOptions)project.CompilationOptions!).WithNullableContextOptions(NullableContextOptions.Enable);
            var parse = ((CSharpParseOptions)project.ParseOptions!).WithLanguageVersion(LanguageVersion.Latest);
            return solution.WithProjectCompilationOptions(projectId, options).WithProjectParseOptions(projectId, parse);
        });
    }
}
