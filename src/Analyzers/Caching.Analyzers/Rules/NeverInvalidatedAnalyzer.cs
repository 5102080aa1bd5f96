using System.Collections.Generic;
using System.Collections.Immutable;
using Caching.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Caching.Analyzers.Rules;

/// <summary>CACHE011: a [Cached] key template that no [InvalidatesCache] pattern of the compilation can reach.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NeverInvalidatedAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.NeverInvalidated);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var templates = CompilationTemplates.Create(start.Compilation, start.CancellationToken);
            if (templates?.Symbols.CachedAttribute is not null)
            {
                start.RegisterSymbolAction(symbolContext => Analyze(symbolContext, templates), SymbolKind.Method);
            }
        });
    }

    private static void Analyze(SymbolAnalysisContext context, CompilationTemplates templates)
    {
        var method = (IMethodSymbol)context.Symbol;
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
