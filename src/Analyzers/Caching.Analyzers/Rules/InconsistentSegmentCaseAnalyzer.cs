using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Caching.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Caching.Analyzers.Rules;

/// <summary>CACHE010: one literal segment spelled with different letter case at the same position in different templates.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class InconsistentSegmentCaseAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.InconsistentSegmentCase);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var templates = CompilationTemplates.Register(start);
            if (templates is not null)
            {
                start.RegisterCompilationEndAction(end => Report(end, templates));
            }
        });
    }

    private static void Report(CompilationAnalysisContext context, CompilationTemplates templates)
    {
        // (position, segment in lower case) -> every occurrence, in source order.
        var groups = new Dictionary<(int Index, string Folded), List<(TemplateSite Site, LiteralSegment Segment)>>();
        var sites = templates.Keys();
        sites.AddRange(templates.Patterns());
        foreach (var site in sites)
        {
            foreach (var segment in LiteralSegment.Of(site.Template))
            {
                var groupKey = (segment.Index, segment.Text.ToUpperInvariant());
                if (!groups.TryGetValue(groupKey, out var occurrences))
                {
                    occurrences = new List<(TemplateSite, LiteralSegment)>();
                    groups.Add(groupKey, occurrences);
                }

                occurrences.Add((site, segment));
            }
        }

        foreach (var occurrences in groups.Values)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (_, segment) in occurrences)
            {
                counts[segment.Text] = counts.TryGetValue(segment.Text, out var count) ? count + 1 : 1;
            }

            if (counts.Count < 2)
            {
                continue;
            }

            var preferred = Preferred(counts);
            var preferredCount = counts[preferred];
            foreach (var (site, segment) in occurrences)
            {
                if (segment.Text == preferred)
                {
                    continue;
                }

                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.InconsistentSegmentCase,
                    site.GetLocation(segment.Start, segment.Text.Length),
                    TemplateEdit.Properties(site.Text, segment.Start, segment.Text.Length, preferred),
                    segment.Text,
                    segment.Index,
                    site.DisplayText,
                    site.MethodName,
                    preferred,
                    preferredCount));
            }
        }
    }

    /// <summary>The spelling most templates use; ties go to the one with more lower-case letters, then ordinal order.</summary>
    private static string Preferred(Dictionary<string, int> counts)
    {
        string? best = null;
        foreach (var pair in counts)
        {
            if (best is null || Better(pair.Key, pair.Value, best, counts[best]))
            {
                best = pair.Key;
            }
        }

        return best!;
    }

    private static bool Better(string candidate, int candidateCount, string best, int bestCount)
    {
        if (candidateCount != bestCount)
        {
            return candidateCount > bestCount;
        }

        var lowerCandidate = LowerCaseLetters(candidate);
        var lowerBest = LowerCaseLetters(best);
        return lowerCandidate != lowerBest ? lowerCandidate > lowerBest : string.CompareOrdinal(candidate, best) < 0;
    }

    private static int LowerCaseLetters(string text)
    {
        var count = 0;
        foreach (var c in text)
        {
            if (char.IsLower(c))
            {
                count++;
            }
        }

        return count;
    }
}
