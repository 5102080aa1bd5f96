using System;
using Caching.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Caching.Analyzers.Rules;

/// <summary>
/// CACHE012: an [InvalidatesCache] pattern that reaches cached keys of the compilation, but only when one of its holes
/// equals a literal segment of the key (<c>products:{id}:*</c> beside <c>products:category:{category}</c>).
/// CACHE004 takes the patterns that reach nothing at all, so one mistake gets one diagnostic.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HoleMatchesLiteralAnalyzer : RuleAnalyzer
{
    /// <summary>Creates the rule.</summary>
    public HoleMatchesLiteralAnalyzer()
        : base(DiagnosticDescriptors.HoleMatchesLiteral)
    {
    }

    /// <inheritdoc/>
    private protected override Action<SymbolAnalysisContext, IMethodSymbol>? Start(CompilationTemplates templates) =>
        templates.Symbols.InvalidatesCacheAttribute is null
            ? null
            : (context, method) => Analyze(context, method, templates);

    private static void Analyze(SymbolAnalysisContext context, IMethodSymbol method, CompilationTemplates templates)
    {
        var sites = TemplateSites.Read(method, templates.Symbols, context.CancellationToken);
        if (!sites.Exists(static site => site.Role == TemplateRole.Pattern && site.Template.IsValid && HasHole(site)))
        {
            return;
        }

        foreach (var pattern in sites)
        {
            if (pattern.Role != TemplateRole.Pattern || !pattern.Template.IsValid || !HasHole(pattern))
            {
                continue;
            }

            // Only the keys that agree with the pattern's literal segments can match it: the index hands out those.
            TemplateSite? punned = null;
            (string Hole, string Segment)? pun = null;
            var reachedCleanly = false;
            foreach (var key in templates.KeyIndex.Candidates(templates.FormsOf(pattern)))
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                foreach (var (patternForm, keyForm) in templates.OverlappingForms(pattern, key))
                {
                    if (HoleAlignment.ReachesWithoutPun(patternForm, keyForm))
                    {
                        reachedCleanly = true;
                        break;
                    }

                    if (punned is null)
                    {
                        punned = key;
                        pun = HoleAlignment.FindPun(patternForm, keyForm);
                    }
                }

                if (reachedCleanly)
                {
                    break;
                }
            }

            if (reachedCleanly || punned is null || pun is null)
            {
                continue;
            }

            var hole = FindHole(pattern, pun.Value.Hole);
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.HoleMatchesLiteral,
                hole is { } part ? pattern.GetLocation(part.Start, part.Length) : pattern.Location,
                pattern.DisplayText,
                pattern.MethodName,
                pun.Value.Hole,
                TemplateText.Display(pun.Value.Segment),
                punned.DisplayText,
                punned.MethodName));
        }
    }

    private static bool HasHole(TemplateSite site)
    {
        foreach (var _ in site.Template.Holes)
        {
            return true;
        }

        return false;
    }

    private static Caching.Templates.TemplatePart? FindHole(TemplateSite site, string text)
    {
        foreach (var hole in site.Template.Holes)
        {
            if (hole.Text == text)
            {
                return hole;
            }
        }

        return null;
    }
}
