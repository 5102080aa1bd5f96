using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace Caching.Analyzers.CodeFixes;

/// <summary>CACHE009: removes the attribute that has no effect.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(IneffectiveAttributeFixer))]
[Shared]
public sealed class IneffectiveAttributeFixer : CodeFixProvider
{
    private const string EquivalenceKey = RuleIdentifiers.IneffectiveAttribute + ".Remove";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.IneffectiveAttribute);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() =>
        FixAllProvider.Create(async (context, document, diagnostics) =>
            await RemoveAsync(document, diagnostics, context.CancellationToken).ConfigureAwait(false));

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
            if (FindAttribute(root, diagnostic) is not { } attribute)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Remove [{attribute.Name}]",
                    cancellationToken => RemoveAsync(context.Document, ImmutableArray.Create(diagnostic), cancellationToken),
                    EquivalenceKey),
                diagnostic);
        }
    }

    private static AttributeSyntax? FindAttribute(SyntaxNode root, Diagnostic diagnostic)
    {
        var span = diagnostic.Location.SourceSpan;
        if (!root.FullSpan.Contains(span))
        {
            return null;
        }

        return root.FindNode(span, getInnermostNodeForTie: true).FirstAncestorOrSelf<AttributeSyntax>();
    }

    private static async Task<Document> RemoveAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var attributes = new HashSet<AttributeSyntax>();
        foreach (var diagnostic in diagnostics)
        {
            if (FindAttribute(root, diagnostic) is { } attribute)
            {
                attributes.Add(attribute);
            }
        }

        var editor = new SyntaxEditor(root, document.Project.Solution.Workspace.Services);
        var removedLists = new HashSet<AttributeListSyntax>();
        foreach (var attribute in attributes)
        {
            if (attribute.Parent is not AttributeListSyntax list)
            {
                continue;
            }

            // The list goes with its last attribute, so no empty "[]" is left behind.
            var remaining = 0;
            foreach (var sibling in list.Attributes)
            {
                if (!attributes.Contains(sibling))
                {
                    remaining++;
                }
            }

            if (remaining == 0)
            {
                if (removedLists.Add(list))
                {
                    editor.RemoveNode(list);
                }
            }
            else
            {
                editor.RemoveNode(attribute);
            }
        }

        return document.WithSyntaxRoot(editor.GetChangedRoot());
    }
}
