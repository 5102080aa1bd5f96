using System;
using Caching.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Caching.Analyzers.Rules;

/// <summary>CACHE004: an [InvalidatesCache] pattern that no [Cached] key template of the compilation can match.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DeadInvalidationAnalyzer : RuleAnalyzer
{
    /// <summary>Creates the rule.</summary>
    public DeadInvalidationAnalyzer()
        : base(DiagnosticDescriptors.DeadInvalidation)
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
        if (!sites.Exists(static site => site.Role == TemplateRole.Pattern && site.Template.IsValid))
        {
            return;
        }

        // Without a single [Cached] method here the keys live in another assembly: nothing to compare with.
        var keys = templates.Keys;
        if (keys.Count == 0)
        {
            return;
        }

        foreach (var pattern in sites)
        {
            if (pattern.Role != TemplateRole.Pattern || !pattern.Template.IsValid || MatchesAny(pattern, templates))
            {
                continue;
            }

            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.DeadInvalidation,
                pattern.Location,
                pattern.DisplayText,
                pattern.MethodName));
        }
    }

    // Only keys that agree with the pattern's literal segments can match it: the index hands out those, not all N.
    private static bool MatchesAny(TemplateSite pattern, CompilationTemplates templates)
    {
        foreach (var key in templates.KeyIndex.Candidates(templates.FormsOf(pattern)))
        {
            if (templates.CanOverlap(pattern, key))
            {
                return true;
            }
        }

        return false;
    }
}
