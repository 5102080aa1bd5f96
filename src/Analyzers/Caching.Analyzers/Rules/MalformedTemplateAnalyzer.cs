using System.Collections.Immutable;
using Caching.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Caching.Analyzers.Rules;

/// <summary>CACHE003: a key, pattern or tag template the shared grammar rejects.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MalformedTemplateAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.MalformedTemplate);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = CachingSymbols.TryCreate(start.Compilation);
            if (symbols is not null)
            {
                start.RegisterSymbolAction(symbolContext => Analyze(symbolContext, symbols), SymbolKind.Method);
            }
        });
    }

    private static void Analyze(SymbolAnalysisContext context, CachingSymbols symbols)
    {
        var method = (IMethodSymbol)context.Symbol;
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
