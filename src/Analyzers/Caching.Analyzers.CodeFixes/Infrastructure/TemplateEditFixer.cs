using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Caching.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Caching.Analyzers.CodeFixes.Infrastructure;

/// <summary>
/// A fix that applies the template edit its diagnostic carries in its properties (see <see cref="TemplateEdit"/>):
/// the analyzer has already chosen the replacement, so every such fixer differs only in its rule and wording.
/// </summary>
public abstract class TemplateEditFixer : CodeFixProvider
{
    private readonly string _equivalenceKey;

    /// <summary>Creates a fixer for <paramref name="diagnosticId"/> whose actions share <paramref name="equivalenceKey"/>.</summary>
    protected TemplateEditFixer(string diagnosticId, string equivalenceKey)
    {
        FixableDiagnosticIds = ImmutableArray.Create(diagnosticId);
        _equivalenceKey = equivalenceKey;
    }

    /// <inheritdoc/>
    public sealed override ImmutableArray<string> FixableDiagnosticIds { get; }

    /// <inheritdoc/>
    public sealed override FixAllProvider GetFixAllProvider() =>
        FixAllProvider.Create(async (context, document, diagnostics) =>
            await ApplyAsync(document, diagnostics, context.CancellationToken).ConfigureAwait(false));

    /// <inheritdoc/>
    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (!CanFix(root, diagnostic, out var replacement))
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    Title(replacement),
                    cancellationToken => ApplyAsync(context.Document, ImmutableArray.Create(diagnostic), cancellationToken),
                    _equivalenceKey),
                diagnostic);
        }
    }

    /// <summary>The code action's title for a fix that writes <paramref name="replacement"/>.</summary>
    protected abstract string Title(string replacement);

    /// <summary>True when the diagnostic carries an edit and its literal is still in the document.</summary>
    private static bool CanFix(SyntaxNode root, Diagnostic diagnostic, out string replacement)
    {
        replacement = string.Empty;
        return TemplateEdit.TryRead(diagnostic.Properties, out var template, out _, out _, out replacement)
            && TemplateLiterals.Find(root, diagnostic.Location, template) is not null;
    }

    /// <summary>Applies every diagnostic's edit, several per literal if need be, in one pass over the document.</summary>
    private static async Task<Document> ApplyAsync(Document document, IEnumerable<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var edits = new Dictionary<LiteralExpressionSyntax, List<TextEdit>>();
        foreach (var diagnostic in diagnostics)
        {
            if (!TemplateEdit.TryRead(diagnostic.Properties, out var template, out var start, out var length, out var replacement))
            {
                continue;
            }

            var literal = TemplateLiterals.Find(root, diagnostic.Location, template);
            if (literal is null)
            {
                continue;
            }

            if (!edits.TryGetValue(literal, out var list))
            {
                list = new List<TextEdit>();
                edits.Add(literal, list);
            }

            list.Add(new TextEdit(start, length, replacement, list.Count));
        }

        if (edits.Count == 0)
        {
            return document;
        }

        var newRoot = root.ReplaceNodes(edits.Keys, (original, _) => TemplateLiterals.Rewrite(original, edits[original]));
        return document.WithSyntaxRoot(newRoot);
    }
}
