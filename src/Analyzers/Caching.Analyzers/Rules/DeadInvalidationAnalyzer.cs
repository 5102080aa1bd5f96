using System.Collections.Immutable;
using Caching.Analyzers.Infrastructure;
using Caching.Templates;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Caching.Analyzers.Rules;

/// <summary>CACHE004: an [InvalidatesCache] pattern that no [Cached] key template of the compilation can match.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DeadInvalidationAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.DeadInvalidation);

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
        var keys = templates.Keys();

        // Without a single [Cached] method here the keys live in another assembly: nothing to compare with.
        if (keys.Count == 0)
        {
            return;
        }

        foreach (var pattern in templates.Patterns())
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var live = false;
            foreach (var key in keys)
            {
                if (TemplateOverlap.CanOverlap(pattern.Template, key.Template))
                {
                    live = true;
                    break;
                }
            }

            if (!live)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.DeadInvalidation,
                    pattern.Location,
                    pattern.DisplayText,
                    pattern.MethodName));
            }
        }
    }
}
