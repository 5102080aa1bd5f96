using System;
using System.Collections.Generic;
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
        if (key is null || !key.Template.IsValid || IsReached(key, templates.Patterns))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.NeverInvalidated,
            key.Location,
            key.DisplayText,
            key.MethodName));
    }

    private static bool IsReached(TemplateSite key, IReadOnlyList<TemplateSite> patterns)
    {
        foreach (var pattern in patterns)
        {
            if (Overlap.CanOverlap(key, pattern))
            {
                return true;
            }
        }

        return false;
    }
}
