using System.Composition;
using Caching.Analyzers.CodeFixes.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Caching.Analyzers.CodeFixes;

/// <summary>CACHE010: rewrites the segment to the spelling most templates of the compilation use.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InconsistentSegmentCaseFixer))]
[Shared]
public sealed class InconsistentSegmentCaseFixer : TemplateEditFixer
{
    /// <summary>Creates the fixer.</summary>
    public InconsistentSegmentCaseFixer()
        : base(RuleIdentifiers.InconsistentSegmentCase, RuleIdentifiers.InconsistentSegmentCase + ".UsePreferredSpelling")
    {
    }

    /// <inheritdoc/>
    protected override string Title(string replacement) => $"Spell the segment '{replacement}'";
}
