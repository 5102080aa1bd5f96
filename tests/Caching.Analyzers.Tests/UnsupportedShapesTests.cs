using Caching.Analyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Caching.Analyzers.Tests;

/// <summary>
/// Every method the generator refuses to decorate (it forwards them untouched) is flagged by an analyzer while the
/// user types, so no caching attribute is silently ignored.
/// </summary>
public class UnsupportedShapesTests
{
    private const string Odd = """
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using Caching;

        public interface IOddService
        {
            [Cached("ref:{id}")]
            int ByRef(ref int id);

            [Cached("out:{id}")]
            bool TryGet(int id, out string value);

            [Cached("in:{id}")]
            int ByIn(in int id);

            [Cached("stream:{id}")]
            IAsyncEnumerable<int> StreamAsync(int id);

            [Cached("span:{length}")]
            int Sum(ReadOnlySpan<int> values, int length);

            [Cached("bad:{id")]
            Task<int> BadTemplateAsync(int id);

            [Cached("missing:{userId}")]
            Task<int> UnknownHoleAsync(int id);

            [Cached("nothing:{id}")]
            Task NothingToCacheAsync(int id);

            [Cached("ttl:{id}", LocalTtl = "soon")]
            Task<int> BadTtlAsync(int id);

            [Cached("both:{id}")]
            [InvalidatesCache("both:*")]
            Task<int> BothAsync(int id);
        }
        """;

    [Fact]
    public async Task Each_method_the_generator_forwards_gets_an_error_or_warning()
    {
        var reported = await ReportedMethods(Odd);
        Assert.Equal(Methods(Odd), reported);
    }

    [Fact]
    public async Task The_generator_tests_unsupported_shape_is_covered_too()
    {
        var shapes = RepositoryPaths.Combine("tests", "Caching.Generators.Tests", "Infrastructure", "Shapes.cs");
        var source = File.Exists(shapes)
            ? CSharpSyntaxTree.ParseText(File.ReadAllText(shapes)).GetRoot().DescendantNodes().OfType<VariableDeclaratorSyntax>()
                .Where(v => v.Identifier.ValueText == "Unsupported")
                .Select(v => (v.Initializer?.Value as LiteralExpressionSyntax)?.Token.Value as string)
                .FirstOrDefault()
            : null;

        // Before the generator's tests are merged there is nothing to compare; afterwards every method must be covered.
        if (source is not null)
        {
            Assert.Equal(Methods(source), await ReportedMethods(source));
        }
        else
        {
            Assert.False(File.Exists(shapes));
        }
    }

    private static SortedSet<string> Methods(string source) =>
        new(CSharpSyntaxTree.ParseText(source).GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>()
            .Where(m => m.AttributeLists.Count > 0)
            .Select(m => m.Identifier.ValueText), StringComparer.Ordinal);

    private static async Task<SortedSet<string>> ReportedMethods(string source)
    {
        var compilation = AnalyzerRunner.Compile(source);
        var result = await AnalyzerRunner.RunAsync(compilation);
        Assert.Empty(result.Failures);
        var methods = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var diagnostic in result.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Id.StartsWith("CACHE", StringComparison.Ordinal)))
        {
            var node = diagnostic.Location.SourceTree!.GetRoot().FindNode(diagnostic.Location.SourceSpan);
            if (node.FirstAncestorOrSelf<MethodDeclarationSyntax>() is { } method)
            {
                methods.Add(method.Identifier.ValueText);
            }
        }

        return methods;
    }
}
