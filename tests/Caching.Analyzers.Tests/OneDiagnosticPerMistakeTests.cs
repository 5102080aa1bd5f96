using Caching.Analyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Caching.Analyzers.Tests;

/// <summary>
/// What a command-line build shows: the generator, every analyzer and the compiler together. Each mistake in an
/// attribute is reported once, by the rule that owns it, not again by a neighbouring rule or by the generator.
/// </summary>
public class OneDiagnosticPerMistakeTests
{
    [Fact]
    public async Task A_typo_in_a_hole_is_one_CACHE001_not_also_CACHE002_and_CACHEGEN001()
    {
        var reported = await ReportedByMethod(Sources.Service("""
                [Cached("user:{usrId}:profile")]
                Task<UserProfile?> GetProfileAsync(string userId);

                [Cached("search:{filter.Regoin}:{filter.Page}")]
                Task<List<UserProfile>> SearchAsync(Filter filter);

                [InvalidatesCache("user:{usrId}:*", "search:*")]
                Task UpdateAsync(string userId);
            """));

        Assert.Equal(["CACHE001"], reported["GetProfileAsync"]);
        Assert.Equal(["CACHE001"], reported["SearchAsync"]);
        Assert.Equal(["CACHE001"], reported["UpdateAsync"]);
    }

    [Fact]
    public async Task A_typo_beside_a_parameter_really_missing_from_the_key_is_two_mistakes_and_two_diagnostics()
    {
        var reported = await ReportedByMethod(Sources.Service("""
                [Cached("user:{usrId}:profile")]
                Task<UserProfile?> GetProfileAsync(string userId, int page);
            """));

        Assert.Equal(["CACHE001", "CACHE002"], reported["GetProfileAsync"]);
    }

    [Fact]
    public async Task Every_shape_the_generator_forwards_gets_exactly_one_diagnostic()
    {
        var reported = await ReportedByMethod("""
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
            """);

        Assert.All(reported, method => Assert.True(method.Value.Count == 1, method.Key + ": " + string.Join(", ", method.Value)));
        Assert.Equal(10, reported.Count);
    }

    /// <summary>Warnings and errors of the generator, the analyzers and the compiler, by the method they are in.</summary>
    private static async Task<Dictionary<string, List<string>>> ReportedByMethod(string source)
    {
        var input = AnalyzerRunner.Compile(source);
        var generatorDiagnostics = GeneratorRunner.Run(input, out var output);
        var analysis = await AnalyzerRunner.RunAsync(output);
        Assert.Empty(analysis.Failures);

        var reported = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var all = generatorDiagnostics.Concat(analysis.Diagnostics).Concat(output.GetDiagnostics());
        // Only the user's own files: these test references lack the DI package the generated registration needs.
        foreach (var diagnostic in all.Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.IsInSource && input.SyntaxTrees.Contains(d.Location.SourceTree)))
        {
            var node = diagnostic.Location.SourceTree!.GetRoot().FindNode(diagnostic.Location.SourceSpan);
            var method = node.FirstAncestorOrSelf<MethodDeclarationSyntax>()?.Identifier.ValueText ?? "(outside a method) " + diagnostic;
            if (!reported.TryGetValue(method, out var ids))
            {
                reported.Add(method, ids = []);
            }

            ids.Add(diagnostic.Id);
        }

        foreach (var ids in reported.Values)
        {
            ids.Sort(StringComparer.Ordinal);
        }

        return reported;
    }
}
