using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Caching.Analyzers.Infrastructure;

/// <summary>
/// A rule that checks methods, one symbol action at a time. The registration is the same for every rule; a rule only
/// says, once per compilation, how it checks a method, so any per-compilation state it needs (an index over the
/// compilation's templates) lives in that check and not in the analyzer.
/// </summary>
public abstract class RuleAnalyzer : DiagnosticAnalyzer
{
    // Private protected: the rule hooks take internal types, and rules live only in this assembly.
    private protected RuleAnalyzer(DiagnosticDescriptor descriptor)
    {
        SupportedDiagnostics = ImmutableArray.Create(descriptor);
    }

    /// <inheritdoc/>
    public sealed override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; }

    /// <inheritdoc/>
    public sealed override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            // Creating the templates is cheap: their index is built only when a rule first asks for keys or patterns.
            var templates = CompilationTemplates.Create(start.Compilation, start.CancellationToken);
            var check = templates is null ? null : Start(templates);
            if (check is not null)
            {
                start.RegisterSymbolAction(symbolContext => check(symbolContext, (IMethodSymbol)symbolContext.Symbol), SymbolKind.Method);
            }
        });
    }

    /// <summary>The check of one method for this compilation, or null when the rule has nothing to look for in it.</summary>
    private protected abstract Action<SymbolAnalysisContext, IMethodSymbol>? Start(CompilationTemplates templates);
}
