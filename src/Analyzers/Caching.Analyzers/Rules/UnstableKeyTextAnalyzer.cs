using Caching.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Caching.Analyzers.Rules;

/// <summary>CACHE007: a hole whose value type formats every value the same way (typically as its type name).</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnstableKeyTextAnalyzer : MethodRuleAnalyzer
{
    /// <summary>Creates the rule.</summary>
    public UnstableKeyTextAnalyzer()
        : base(DiagnosticDescriptors.UnstableKeyText)
    {
    }

    /// <inheritdoc/>
    private protected override void AnalyzeMethod(SymbolAnalysisContext context, IMethodSymbol method, CachingSymbols symbols)
    {
        foreach (var site in TemplateSites.Read(method, symbols, context.CancellationToken))
        {
            // Tags are names for groups of entries, not keys; a coarse tag is a choice, not a collision.
            if (site.Role == TemplateRole.Tag)
            {
                continue;
            }

            foreach (var hole in site.Template.Holes)
            {
                var resolution = HoleResolution.Resolve(method, hole, context.Compilation);
                if (resolution.Type is null || KeyTextForm.IsStable(resolution.Type, symbols))
                {
                    continue;
                }

                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.UnstableKeyText,
                    site.GetLocation(hole.Start, hole.Length),
                    hole.Text,
                    site.DisplayText,
                    site.MethodName,
                    SymbolNames.Type(resolution.Type)));
            }
        }
    }
}
