using System.Collections.Immutable;
using Caching.Analyzers.Infrastructure;
using Caching.Templates;
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
            var templates = CompilationTemplates.Register(start);
            if (templates is not null)
            {
                start.RegisterCompilationEndAction(end => Report(end, templates));
            }
        });
    }

    private static void Report(CompilationAnalysisContext context, CompilationTemplates templates)
    {
        var patterns = templates.Patterns();
        foreach (var key in templates.Keys())
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var reached = false;
            foreach (var pattern in patterns)
            {
                if (TemplateOverlap.CanOverlap(key.Template, pattern.Template))
                {
                    reached = true;
                    break;
                }
            }

            if (!reached)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.NeverInvalidated,
                    key.Location,
                    key.DisplayText,
                    key.MethodName));
            }
        }
    }
}
