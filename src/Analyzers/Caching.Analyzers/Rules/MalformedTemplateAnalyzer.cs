using Caching.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Caching.Analyzers.Rules;

/// <summary>CACHE003: a key, pattern or tag template the shared grammar rejects.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MalformedTemplateAnalyzer : MethodRuleAnalyzer
{
    /// <summary>Creates the rule.</summary>
    public MalformedTemplateAnalyzer()
        : base(DiagnosticDescriptors.MalformedTemplate)
    {
    }

    /// <inheritdoc/>
    private protected override void AnalyzeMethod(SymbolAnalysisContext context, IMethodSymbol method, CachingSymbols symbols)
    {
        foreach (var site in TemplateSites.Read(method, symbols, context.CancellationToken))
        {
            foreach (var error in site.Template.Errors)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.MalformedTemplate,
                    site.GetLocation(error.Start, error.Length),
                    site.RoleName,
                    site.DisplayText,
                    site.MethodName,
                    TemplateText.Display(error.Message)));
            }
        }
    }
}
