using System;
using Caching.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Caching.Analyzers.Rules;

/// <summary>CACHE011: a [Cached] key template that no [InvalidatesCache] pattern of the compilation can reach.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NeverInvalidatedAnalyzer : RuleAnalyzer
{
    /// <summary>Creates the rule.</summary>
    public NeverInvalidatedAnalyzer()
        : base(DiagnosticDescriptors.NeverInvalidated)
    {
    }

    /// <inheritdoc/>
    private protected override Action<SymbolAnalysisContext, IMethodSymbol>? Start(CompilationTemplates templates) =>
        templates.Symbols.CachedAttribute is null
            ? null
            : (context, method) => Analyze(context, method, templates);

    private static void Analyze(SymbolAnalysisContext context, IMethodSymbol method, CompilationTemplates templates)
    {
        var key = TemplateSites.FindKey(TemplateSites.Read(method, templates.Symbols, context.CancellationToken));
        if (key is null || !key.Template.IsValid || IsReached(key, templates.PatternIndex))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.NeverInvalidated,
            key.Location,
            key.DisplayText,
            key.MethodName));
    }

    // Only patterns that agree with the key's leading literal can reach it: the index hands out those, not all N.
    private static bool IsReached(TemplateSite key, PrefixIndex patterns)
    {
        foreach (var pattern in patterns.Candidates(key.Template))
        {
            if (Overlap.CanOverlap(key, pattern))
            {
                return true;
            }
        }

        return false;
    }
}
