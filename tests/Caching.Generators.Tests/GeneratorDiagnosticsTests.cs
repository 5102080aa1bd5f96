using System.Reflection;
using System.Text.RegularExpressions;
using Caching.Generators.Diagnostics;
using Caching.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Caching.Generators.Tests;

/// <summary>The generator's own ids are documented like the analyzers' rules: a help link to an existing page, release tracking.</summary>
public sealed class GeneratorDiagnosticsTests
{
    public static TheoryData<string> Ids => [.. Descriptors().Select(d => d.Id)];

    [Fact]
    public void The_generator_has_exactly_its_two_ids()
    {
        Assert.Equal(new[] { "CACHEGEN001", "CACHEGEN002" }, Descriptors().Select(d => d.Id).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Help_link_points_at_an_existing_page_whose_heading_is_the_title(string id)
    {
        var descriptor = Descriptors().Single(d => d.Id == id);
        Assert.Equal(GeneratorDiagnostics.HelpLinkBase + id + ".md", descriptor.HelpLinkUri);
        var page = Path.Combine(RepositoryRoot(), "docs", "rules", id + ".md");
        Assert.True(File.Exists(page), page + " is missing");

        var text = File.ReadAllText(page).Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.StartsWith($"# {id}: {descriptor.Title}\n", text, StringComparison.Ordinal);
        foreach (var section in new[] { "## What it finds", "## Why it matters", "## Example", "## How to fix" })
        {
            Assert.Contains(section, text, StringComparison.Ordinal);
        }

        Assert.Matches(new Regex($@"\| Severity \|[^\n]*{descriptor.DefaultSeverity}"), text);
        Assert.Contains($"[{id}]({id}.md)", File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "rules", "README.md")), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Descriptor_is_tracked_as_unshipped_with_its_category_and_severity(string id)
    {
        var descriptor = Descriptors().Single(d => d.Id == id);
        var unshipped = File.ReadAllLines(Path.Combine(RepositoryRoot(), "src", "Generators", "Caching.Generators", "AnalyzerReleases.Unshipped.md"));
        var cells = Assert.Single(unshipped, l => l.StartsWith(id + " ", StringComparison.Ordinal)).Split('|').Select(c => c.Trim()).ToArray();
        Assert.Equal(descriptor.Category, cells[1]);
        Assert.Equal(descriptor.DefaultSeverity.ToString(), cells[2]);
    }

    private static IEnumerable<DiagnosticDescriptor> Descriptors() =>
        typeof(GeneratorDiagnostics).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!);

    private static string RepositoryRoot() => Path.GetFullPath(Path.Combine(Snapshot.ProjectDirectory(), "..", ".."));
}
