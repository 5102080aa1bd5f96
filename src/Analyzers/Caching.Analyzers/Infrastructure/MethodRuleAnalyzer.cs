using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Caching.Analyzers.Infrastructure;

/// <summary>A rule that judges each method on its own, without comparing it with the rest of the compilation.</summary>
public abstract class MethodRuleAnalyzer : RuleAnalyzer
{
    private protected MethodRuleAnalyzer(DiagnosticDescriptor descriptor)
        : base(descriptor)
    {
    }

    /// <inheritdoc/>
    private protected sealed override Action<SymbolAnalysisContext, IMethodSymbol>? Start(CompilationTemplates templates)
    {
        var symbols = templates.Symbols;
        return AppliesTo(symbols) ? (context, method) => AnalyzeMethod(context, method, symbols) : null;
    }

    /// <summary>False when the rule has nothing to look for in this compilation (for example, no [Cached] attribute).</summary>
    private protected virtual bool AppliesTo(CachingSymbols symbols) => true;

    /// <summary>Reports the rule's diagnostics for one method.</summary>
    private protected abstract void AnalyzeMethod(SymbolAnalysisContext context, IMethodSymbol method, CachingSymbols symbols);
}
