using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Caching.Analyzers.CodeFixes.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Caching.Analyzers.CodeFixes;

/// <summary>CACHE010: rewrites the segment to the spelling most templates of the compilation use.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InconsistentSegmentCaseFixer))]
[Shared]
public sealed class InconsistentSegmentCaseFixer : CodeFixProvider
{
    private const string EquivalenceKey = RuleIdentifiers.InconsistentSegmentCase + ".UsePreferredSpelling";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.InconsistentSegmentCase);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() =>
        FixAllProvider.Create(async (context, document, diagnostics) =>
            await TemplateEditFixes.ApplyAsync(document, diagnostics, context.CancellationToken).ConfigureAwait(false));

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (!TemplateEditFixes.CanFix(root, diagnostic, out var replacement))
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Spell the segment '{replacement}'",
                    cancellationToken => TemplateEditFixes.ApplyAsync(context.Document, TemplateEditFixes.Single(diagnostic), cancellationToken),
                    EquivalenceKey),
                diagnostic);
        }
    }
}
