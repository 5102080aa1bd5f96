using System.Collections;
using System.Reflection;
using Caching.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Caching.Generators.Tests;

/// <summary>The pipeline caches: edits that do not touch an annotated interface redo no work downstream of parsing.</summary>
public sealed class IncrementalTests
{
    private static readonly string[] TrackingNames = typeof(CachingDecoratorGenerator).Assembly
        .GetType("Caching.Generators.TrackingNames")!
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToArray();

    private const string Unrelated = """
        namespace Shop.Other;

        public sealed class Clock
        {
            public long Now() => 1;
        }
        """;

    [Fact]
    public void Every_pipeline_step_is_named()
    {
        Assert.Equal(["CachedMethods", "InvalidatingMethods", "DerivedInterfaces", "Interfaces", "Registrations"], TrackingNames);
    }

    [Fact]
    public void An_edit_in_another_file_leaves_every_tracked_step_cached_or_unchanged()
    {
        var (first, second) = RunTwice(
            [Shapes.Basic, Shapes.GenericInterface, Shapes.Derived, Shapes.Names, Unrelated],
            4,
            Unrelated.Replace("public long Now() => 1;", "public long Now() => 2;\n    public long Later() => 3;", StringComparison.Ordinal));

        AssertAllCached(second);
        Assert.Equal(Sources(first), Sources(second));
    }

    [Fact]
    public void An_edit_beside_an_annotated_interface_in_its_own_file_changes_no_model()
    {
        var (_, second) = RunTwice(
            [Shapes.Basic, Shapes.Derived],
            0,
            Shapes.Basic + "\n\npublic sealed class Unrelated { public int Value { get; set; } }\n");

        AssertAllCached(second);
    }

    [Fact]
    public void Changing_a_template_regenerates_only_that_interface()
    {
        var (first, second) = RunTwice(
            [Shapes.Basic, Shapes.Tags],
            0,
            Shapes.Basic.Replace("user:{userId}:profile", "user:{userId}:card", StringComparison.Ordinal));

        var interfaces = second.Results[0].TrackedSteps["Interfaces"].SelectMany(s => s.Outputs).ToList();
        Assert.Contains(interfaces, o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(interfaces, o => o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged);
        var before = Sources(first);
        var after = Sources(second);
        Assert.NotEqual(before["Shop.Users.UserServiceCachingDecorator.g.cs"], after["Shop.Users.UserServiceCachingDecorator.g.cs"]);
        Assert.Contains("\":card\"", after["Shop.Users.UserServiceCachingDecorator.g.cs"], StringComparison.Ordinal);
        Assert.Equal(before["Shop.Orders.OrderServiceCachingDecorator.g.cs"], after["Shop.Orders.OrderServiceCachingDecorator.g.cs"]);
    }

    [Fact]
    public void Editing_a_result_type_in_another_file_redoes_its_sharing_copy_and_schema_tag()
    {
        // The parse remembers what it learned about each type per compilation (TypeFacts); a warm driver given the
        // next compilation must judge the edited type afresh, not reuse the answer for the old one.
        const string service = """
            using System.Threading.Tasks;
            using Caching;

            namespace Shop.Profiles;

            public interface IProfileService
            {
                [Cached("profile:{id}")]
                Task<ProfileCard> GetAsync(string id);
            }
            """;
        const string card = """
            namespace Shop.Profiles;

            public sealed record ProfileCard(string Name);
            """;
        var (first, second) = RunTwice(
            [service, card],
            1,
            card.Replace("(string Name);", "(string Name)\n{\n    public System.Collections.Generic.List<string> Tags { get; set; } = new();\n}", StringComparison.Ordinal));

        var before = Sources(first)["Shop.Profiles.ProfileServiceCachingDecorator.g.cs"];
        var after = Sources(second)["Shop.Profiles.ProfileServiceCachingDecorator.g.cs"];
        Assert.Contains("ValueSharing.Share", before, StringComparison.Ordinal);
        Assert.DoesNotContain("Copier", before, StringComparison.Ordinal);
        Assert.Contains("ValueSharing.Copy", after, StringComparison.Ordinal);
        Assert.Contains("Tags = ", after, StringComparison.Ordinal);
        Assert.NotEqual(SchemaTag(before), SchemaTag(after));
    }

    private static string SchemaTag(string source)
    {
        var match = System.Text.RegularExpressions.Regex.Match(source, "SchemaTag = \"([0-9a-f]{8})\"");
        Assert.True(match.Success, "no schema tag in the generated source");
        return match.Groups[1].Value;
    }

    [Fact]
    public void Pipeline_values_hold_no_compilation_symbol_or_syntax()
    {
        var compilation = GeneratorHarness.CreateCompilation(Shapes.Basic, Shapes.GenericInterface, Shapes.Derived, Shapes.Unsupported, Shapes.Members, Shapes.Names);
        var run = GeneratorHarness.CreateDriver().RunGenerators(compilation).GetRunResult();

        var visited = 0;
        foreach (var name in TrackingNames)
        {
            foreach (var step in run.Results[0].TrackedSteps[name])
            {
                foreach (var (value, _) in step.Outputs)
                {
                    AssertPlainData(value, name, new HashSet<object>(ReferenceEqualityComparer.Instance), ref visited);
                }
            }
        }

        Assert.True(visited > 100, $"only {visited} values were inspected");
    }

    private static (GeneratorDriverRunResult First, GeneratorDriverRunResult Second) RunTwice(string[] sources, int editedIndex, string editedSource)
    {
        var compilation = GeneratorHarness.CreateCompilation(sources);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var first = driver.GetRunResult();
        var tree = compilation.SyntaxTrees.ElementAt(editedIndex);
        var edited = compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(editedSource, GeneratorHarness.ParseOptions, tree.FilePath));
        driver = driver.RunGenerators(edited);
        return (first, driver.GetRunResult());
    }

    private static void AssertAllCached(GeneratorDriverRunResult run)
    {
        var steps = run.Results[0].TrackedSteps;
        Assert.Contains("Interfaces", steps.Keys);
        Assert.Contains("Registrations", steps.Keys);
        foreach (var name in TrackingNames.Where(steps.ContainsKey))
        {
            foreach (var step in steps[name])
            {
                foreach (var (_, reason) in step.Outputs)
                {
                    Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"step {name} reported {reason}");
                }
            }
        }

        foreach (var (_, outputs) in run.Results[0].TrackedOutputSteps)
        {
            Assert.All(outputs.SelectMany(o => o.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        }
    }

    private static Dictionary<string, string> Sources(GeneratorDriverRunResult run) =>
        run.Results[0].GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());

    private static void AssertPlainData(object? value, string path, HashSet<object> seen, ref int visited)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum)
        {
            return;
        }

        visited++;
        Assert.False(
            value is Compilation or ISymbol or SyntaxNode or SemanticModel or SyntaxTree or Location,
            $"{path} holds a {value.GetType().Name}, which pins a compilation in the generator cache");
        if (!value.GetType().IsValueType && !seen.Add(value))
        {
            return;
        }

        if (value is DiagnosticDescriptor)
        {
            return;
        }

        if (value is IEnumerable items)
        {
            var i = 0;
            foreach (var item in items)
            {
                AssertPlainData(item, $"{path}[{i++}]", seen, ref visited);
            }

            return;
        }

        for (var type = value.GetType(); type is not null && type != typeof(object); type = type.BaseType)
        {
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                AssertPlainData(field.GetValue(value), path + "." + field.Name, seen, ref visited);
            }
        }
    }
}
