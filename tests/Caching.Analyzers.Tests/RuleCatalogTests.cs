using System.Reflection;
using System.Text.RegularExpressions;
using Caching.Analyzers.CodeFixes;
using Caching.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Caching.Analyzers.Tests;

/// <summary>Keeps ids, descriptors, documentation pages, release tracking and fixers in step.</summary>
public class RuleCatalogTests
{
    public static IEnumerable<object[]> Descriptors() =>
        AllAnalyzers().SelectMany(a => a.SupportedDiagnostics).Select(d => new object[] { d.Id, d });

    [Fact]
    public void Every_rule_id_is_reported_by_exactly_one_analyzer()
    {
        var ids = typeof(RuleIdentifiers).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string) && ((string)f.GetRawConstantValue()!).StartsWith("CACHE", StringComparison.Ordinal))
            .Select(f => (string)f.GetRawConstantValue()!)
            .OrderBy(id => id, StringComparer.Ordinal)
            .ToList();
        Assert.Equal(Enumerable.Range(1, 13).Select(i => $"CACHE{i:000}"), ids);

        foreach (var id in ids)
        {
            var owners = AllAnalyzers().Where(a => a.SupportedDiagnostics.Any(d => d.Id == id)).ToList();
            Assert.True(owners.Count == 1, $"{id} is supported by {owners.Count} analyzers");
        }
    }

    [Theory]
    [MemberData(nameof(Descriptors))]
    public void Help_link_points_at_an_existing_page_whose_heading_is_the_title(string id, DiagnosticDescriptor descriptor)
    {
        Assert.Equal(RuleIdentifiers.HelpLinkBase + id + ".md", descriptor.HelpLinkUri);
        var page = RepositoryPaths.Combine("docs", "rules", id + ".md");
        Assert.True(File.Exists(page), $"{page} is missing");

        var text = File.ReadAllText(page);
        Assert.StartsWith($"# {id}: {descriptor.Title}\n", text, StringComparison.Ordinal);
        foreach (var section in new[] { "## What it finds", "## Why it matters", "## Example", "## How to fix" })
        {
            Assert.Contains(section, text, StringComparison.Ordinal);
        }

        Assert.Matches(new Regex($@"\| Severity \|[^\n]*{descriptor.DefaultSeverity}"), text);
    }

    [Theory]
    [MemberData(nameof(Descriptors))]
    public void Descriptor_is_complete_and_tracked_as_unshipped(string id, DiagnosticDescriptor descriptor)
    {
        Assert.False(string.IsNullOrWhiteSpace(descriptor.Title.ToString()));
        Assert.False(string.IsNullOrWhiteSpace(descriptor.MessageFormat.ToString()));
        Assert.False(string.IsNullOrWhiteSpace(descriptor.Description.ToString()));
        Assert.True(descriptor.IsEnabledByDefault);

        var unshipped = File.ReadAllLines(RepositoryPaths.Combine("src", "Analyzers", "Caching.Analyzers", "AnalyzerReleases.Unshipped.md"));
        var line = Assert.Single(unshipped, l => l.StartsWith(id + " ", StringComparison.Ordinal));
        var cells = line.Split('|').Select(c => c.Trim()).ToArray();
        Assert.Equal(descriptor.Category, cells[1]);
        Assert.Equal(descriptor.DefaultSeverity.ToString(), cells[2]);
    }

    [Fact]
    public void The_issue_severities_are_the_descriptor_defaults()
    {
        var expected = new Dictionary<string, DiagnosticSeverity>
        {
            ["CACHE001"] = DiagnosticSeverity.Error,
            ["CACHE002"] = DiagnosticSeverity.Warning,
            ["CACHE003"] = DiagnosticSeverity.Error,
            ["CACHE004"] = DiagnosticSeverity.Warning,
            ["CACHE005"] = DiagnosticSeverity.Error,
            ["CACHE006"] = DiagnosticSeverity.Error,
            ["CACHE007"] = DiagnosticSeverity.Warning,
            ["CACHE008"] = DiagnosticSeverity.Error,
            ["CACHE009"] = DiagnosticSeverity.Warning,
            ["CACHE010"] = DiagnosticSeverity.Warning,
            ["CACHE011"] = DiagnosticSeverity.Warning,
            ["CACHE012"] = DiagnosticSeverity.Warning,
            ["CACHE013"] = DiagnosticSeverity.Warning,
        };
        var actual = AllAnalyzers().SelectMany(a => a.SupportedDiagnostics).ToDictionary(d => d.Id, d => d.DefaultSeverity);
        Assert.Equal(expected.OrderBy(p => p.Key), actual.OrderBy(p => p.Key));
    }

    [Fact]
    public void Fixers_cover_the_rules_the_issue_asks_for_and_support_fix_all()
    {
        var fixers = typeof(UnknownHoleFixer).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t))
            .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)
            .ToList();
        var fixedIds = fixers.SelectMany(f => f.FixableDiagnosticIds).OrderBy(id => id, StringComparer.Ordinal);
        Assert.Equal(new[] { "CACHE001", "CACHE002", "CACHE009", "CACHE010" }, fixedIds);
        Assert.All(fixers, f => Assert.NotNull(f.GetFixAllProvider()));
    }

    private static List<DiagnosticAnalyzer> AllAnalyzers() =>
        typeof(UnknownHoleAnalyzer).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToList();
}
