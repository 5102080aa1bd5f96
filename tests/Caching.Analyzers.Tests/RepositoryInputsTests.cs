using System.Text.RegularExpressions;
using Caching.Analyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit.Abstractions;

namespace Caching.Analyzers.Tests;

/// <summary>Correct code in the repository (the design's example, the sample app, the generator's inputs) gets no diagnostic.</summary>
public partial class RepositoryInputsTests(ITestOutputHelper output)
{
    /// <summary>What ImplicitUsings gives the sample and the generator's test project.</summary>
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    [Fact]
    public async Task The_design_example_gets_no_diagnostic_at_all()
    {
        var source = Sources.Usings + """
            public sealed record UserProfile(string Id, string Name);
            public sealed record UserSummary(string Id, string Name);
            public sealed record ProfileUpdate(string Name);
            public enum UserStatus { Active, Suspended }

            public interface IUserService
            {
                [Cached("user:{userId}:profile", LocalTtl = "5m", RedisTtl = "30m")]
                Task<UserProfile?> GetProfileAsync(string userId, CancellationToken ct = default);

                [Cached("users:list:{status}", Profile = "fast-changing")]
                Task<IReadOnlyList<UserSummary>> ListAsync(UserStatus status, CancellationToken ct = default);

                [InvalidatesCache("user:{userId}:*", "users:list:*")]
                Task UpdateProfileAsync(string userId, ProfileUpdate update, CancellationToken ct = default);
            }
            """;
        var result = await AnalyzerRunner.RunAsync(AnalyzerRunner.Compile(source));

        Assert.Empty(result.Failures);
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public async Task The_sample_app_gets_no_diagnostic_at_all()
    {
        var files = SourceFiles(RepositoryPaths.Combine("samples"));
        var compilation = AnalyzerRunner.Compile([ImplicitUsings, .. files.Select(File.ReadAllText)]);
        var result = await AnalyzerRunner.RunAsync(compilation);

        Assert.Empty(result.Failures);
        Assert.Empty(result.Diagnostics.Where(d => d.Id.StartsWith("CACHE", StringComparison.Ordinal)));
        AssertAttributesWereBound(compilation, files.Select(File.ReadAllText));
    }

    /// <summary>
    /// What the rules find in the generator's inputs, each checked by hand (input, rule, method reported):
    /// <list type="bullet">
    /// <item>Shapes.ReturnTypes: <c>GetAsync("count")</c> and <c>Count()</c> both produce the key <c>price:count</c>
    /// while caching a Price and an int: a real collision.</item>
    /// <item>Shapes.Parameters: <c>obj:{value}</c> with an <c>object</c> parameter exercises the generator's fallback
    /// formatting; the declared type promises no stable text, which is what CACHE007 says.</item>
    /// <item>Shapes.Tags: <c>customer</c> appears only in a tag of <c>order:{id}</c>, so <c>GetAsync(1, "bob")</c> is
    /// served what <c>GetAsync(1, "alice")</c> cached: CACHE002 asks for the key or [NotCacheKey].</item>
    /// <item>Shapes.GenericMethod and Shapes.Collisions: the interface invalidates some of its keys but never
    /// <c>doc:value:</c>, <c>doc:any:</c>, <c>b:</c>, <c>c:</c> or <c>d:</c>, which CACHE011 reports as a warning (a
    /// key the writers forgot); the read-only inputs get it as information only.</item>
    /// </list>
    /// When an input changes, its entry changes with it.
    /// </summary>
    private static readonly (string Input, string Id, string Method)[] KnownFindings =
    [
        ("Shapes.Collisions", "CACHE011", "INames.FieldsAsync"),
        ("Shapes.Collisions", "CACHE011", "INames.Type"),
        ("Shapes.Collisions", "CACHE011", "INames.TypeArgumentName"),
        ("Shapes.GenericMethod", "CACHE011", "IDocumentStore.FindAsync"),
        ("Shapes.GenericMethod", "CACHE011", "IDocumentStore.LoadValue"),
        ("Shapes.Parameters", "CACHE007", "ISearchService.ObjectAsync"),
        ("Shapes.ReturnTypes", "CACHE005", "IPriceService.Count"),
        ("Shapes.ReturnTypes", "CACHE005", "IPriceService.GetAsync"),
        ("Shapes.Tags", "CACHE002", "IOrderService.GetAsync"),
    ];

    [Fact]
    public async Task The_generator_test_inputs_that_are_correct_get_no_warning_or_error()
    {
        var inputs = GeneratorInputs().ToList();
        var findings = new List<(string Input, string Id, string Method)>();
        foreach (var (name, source) in inputs)
        {
            var compilation = AnalyzerRunner.Compile(ImplicitUsings, source);
            var result = await AnalyzerRunner.RunAsync(compilation);
            Assert.Empty(result.Failures);
            foreach (var diagnostic in result.Diagnostics.Where(d => d.Id.StartsWith("CACHE", StringComparison.Ordinal)))
            {
                output.WriteLine($"{name}: {diagnostic}");

                // CACHE011 as information is true of inputs that cache without invalidating; nothing else may appear.
                if (diagnostic.Severity >= DiagnosticSeverity.Warning)
                {
                    findings.Add((name, diagnostic.Id, ReportedMethod(diagnostic)));
                }
            }

            AssertAttributesWereBound(compilation, [source]);
        }

        output.WriteLine($"{inputs.Count} generator inputs analyzed");
        var names = inputs.Select(i => i.Name).ToHashSet();
        Assert.Equal(
            KnownFindings.Where(k => names.Contains(k.Input)).OrderBy(k => k.ToString(), StringComparer.Ordinal),
            findings.OrderBy(k => k.ToString(), StringComparer.Ordinal));
    }

    /// <summary>"IPriceService.Count": the method whose declaration holds the diagnostic.</summary>
    private static string ReportedMethod(Diagnostic diagnostic)
    {
        var node = diagnostic.Location.SourceTree!.GetRoot().FindNode(diagnostic.Location.SourceSpan);
        var method = node.FirstAncestorOrSelf<MethodDeclarationSyntax>();
        var type = method?.FirstAncestorOrSelf<TypeDeclarationSyntax>();
        return method is null || type is null ? diagnostic.ToString() : type.Identifier.ValueText + "." + method.Identifier.ValueText;
    }

    /// <summary>Guards against a vacuous pass: every attribute written in the text was bound to the caching types.</summary>
    private static void AssertAttributesWereBound(Compilation compilation, IEnumerable<string> texts)
    {
        var written = texts.Sum(t => AttributeUse().Matches(t).Count);
        var cached = compilation.GetTypeByMetadataName("Caching.CachedAttribute");
        var invalidates = compilation.GetTypeByMetadataName("Caching.InvalidatesCacheAttribute");
        var bound = 0;
        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var attribute in tree.GetRoot().DescendantNodes().OfType<AttributeSyntax>())
            {
                var type = model.GetTypeInfo(attribute).Type;
                if (SymbolEqualityComparer.Default.Equals(type, cached) || SymbolEqualityComparer.Default.Equals(type, invalidates))
                {
                    bound++;
                }
            }
        }

        Assert.Equal(written, bound);
    }

    private static List<string> SourceFiles(string directory) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
                .OrderBy(f => f, StringComparer.Ordinal)
                .ToList()
            : [];

    /// <summary>The generator's test sources: its fixtures, and each shape in Shapes.cs except the deliberately wrong one.</summary>
    private static IEnumerable<(string Name, string Source)> GeneratorInputs()
    {
        var testsRoot = RepositoryPaths.Combine("tests", "Caching.Generators.Tests");
        foreach (var file in SourceFiles(Path.Combine(testsRoot, "Fixtures")))
        {
            yield return (Path.GetFileName(file), File.ReadAllText(file));
        }

        var shapes = Path.Combine(testsRoot, "Infrastructure", "Shapes.cs");
        if (!File.Exists(shapes))
        {
            yield break;
        }

        var root = CSharpSyntaxTree.ParseText(File.ReadAllText(shapes)).GetRoot();
        foreach (var declarator in root.DescendantNodes().OfType<VariableDeclaratorSyntax>())
        {
            if (declarator.Initializer?.Value is LiteralExpressionSyntax literal
                && literal.Token.Value is string source
                && declarator.Identifier.ValueText != "Unsupported")
            {
                yield return ("Shapes." + declarator.Identifier.ValueText, source);
            }
        }
    }

    [GeneratedRegex(@"\[\s*(Caching\.)?(Cached|InvalidatesCache)(Attribute)?\s*\(")]
    private static partial Regex AttributeUse();
}
