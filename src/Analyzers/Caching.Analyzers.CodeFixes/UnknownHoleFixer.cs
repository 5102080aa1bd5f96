using System.Composition;
using Caching.Analyzers.CodeFixes.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Caching.Analyzers.CodeFixes;

/// <summary>CACHE001: replaces the unknown hole with the closest parameter (or member) name.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnknownHoleFixer))]
[Shared]
public sealed class UnknownHoleFixer : TemplateEditFixer
{
    /// <summary>Creates the fixer.</summary>
    public UnknownHoleFixer()
        : base(RuleIdentifiers.UnknownHole, RuleIdentifiers.UnknownHole + ".UseSuggestion")
    {
    }

    /// <inheritdoc/>
    protected override string Title(string replacement) => $"Use '{replacement}'";
}
