using System;
using System.Collections.Generic;
using System.Threading;
using Caching.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Caching.Analyzers.Rules;

/// <summary>CACHE010: one literal segment spelled with different letter case at the same position in different templates.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class InconsistentSegmentCaseAnalyzer : RuleAnalyzer
{
    /// <summary>Creates the rule.</summary>
    public InconsistentSegmentCaseAnalyzer()
        : base(DiagnosticDescriptors.InconsistentSegmentCase)
    {
    }

    /// <inheritdoc/>
    private protected override Action<SymbolAnalysisContext, IMethodSymbol>? Start(CompilationTemplates templates)
    {
        var vocabulary = new Lazy<Vocabulary>(() => new Vocabulary(templates), LazyThreadSafetyMode.ExecutionAndPublication);
        return (context, method) => Analyze(context, method, templates, vocabulary);
    }

    private static void Analyze(SymbolAnalysisContext context, IMethodSymbol method, CompilationTemplates templates, Lazy<Vocabulary> vocabulary)
    {
        foreach (var site in TemplateSites.Read(method, templates.Symbols, context.CancellationToken))
        {
            if (site.Role == TemplateRole.Tag || !site.Template.IsValid)
            {
                continue;
            }

            foreach (var segment in LiteralSegment.Of(site.Template))
            {
                if (!vocabulary.Value.TryGetPreferred(segment, out var preferred, out var count) || preferred == segment.Text)
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
                    count));
            }
        }
    }

    /// <summary>For each (position, segment ignoring case): how often each spelling occurs in the compilation.</summary>
    private sealed class Vocabulary
    {
        private readonly Dictionary<(int Index, string Folded), Dictionary<string, int>> _spellings = new();

        public Vocabulary(CompilationTemplates templates)
        {
            foreach (var site in templates.Keys)
            {
                Add(site);
            }

            foreach (var site in templates.Patterns)
            {
                Add(site);
            }
        }

        /// <summary>The spelling most templates use, when the segment is spelled more than one way.</summary>
        public bool TryGetPreferred(LiteralSegment segment, out string preferred, out int count)
        {
            preferred = segment.Text;
            count = 0;
            if (!_spellings.TryGetValue((segment.Index, segment.Folded), out var counts) || counts.Count < 2)
            {
                return false;
            }

            foreach (var pair in counts)
            {
                if (count == 0 || Better(pair.Key, pair.Value, preferred, count))
                {
                    preferred = pair.Key;
                    count = pair.Value;
                }
            }

            return true;
        }

        private void Add(TemplateSite site)
        {
            foreach (var segment in LiteralSegment.Of(site.Template))
            {
                var key = (segment.Index, segment.Folded);
                if (!_spellings.TryGetValue(key, out var counts))
                {
                    counts = new Dictionary<string, int>(StringComparer.Ordinal);
                    _spellings.Add(key, counts);
                }

                counts[segment.Text] = counts.TryGetValue(segment.Text, out var count) ? count + 1 : 1;
            }
        }

        /// <summary>More uses wins; ties go to the spelling with more lower-case letters, then to ordinal order.</summary>
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
}
