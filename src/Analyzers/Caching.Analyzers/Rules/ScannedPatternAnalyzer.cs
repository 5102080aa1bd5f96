using Caching.Analyzers.Infrastructure;
using Caching.Templates;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Caching.Analyzers.Rules;

/// <summary>
/// CACHE013: an <c>[InvalidatesCache]</c> pattern the runtime cannot index, decided by the same rule
/// (<c>Shared/PatternShape.cs</c>) the generator uses to register shapes, so the warning appears exactly for the
/// patterns that will SCAN. Malformed patterns are CACHE003's; they are not reported twice.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ScannedPatternAnalyzer : MethodRuleAnalyzer
{
    /// <summary>Creates the rule.</summary>
    public ScannedPatternAnalyzer()
        : base(DiagnosticDescriptors.ScannedPattern)
    {
    }

    /// <inheritdoc/>
    private protected override void AnalyzeMethod(SymbolAnalysisContext context, IMethodSymbol method, CachingSymbols symbols)
    {
        foreach (var site in TemplateSites.Read(method, symbols, context.CancellationToken))
        {
            if (site.Role != TemplateRole.Pattern || !site.Template.IsValid || !HasWildcard(site.Template))
            {
                continue;
            }

            if (PatternShape.Classify(site.Template, out var reason) == PatternShapeKind.NotIndexable)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ScannedPattern, site.Location, site.DisplayText, site.MethodName, reason));
            }
        }
    }

    private static bool HasWildcard(KeyTemplate template)
    {
        foreach (var part in template.Parts)
        {
            if (part.Kind == TemplatePartKind.Wildcard)
            {
                return true;
            }
        }

        return false;
    }
}
