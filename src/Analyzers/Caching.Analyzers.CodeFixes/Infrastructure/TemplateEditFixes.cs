using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Caching.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Caching.Analyzers.CodeFixes.Infrastructure;

/// <summary>Applies the template edits that diagnostics carry in their properties (see <see cref="TemplateEdit"/>).</summary>
internal static class TemplateEditFixes
{
    /// <summary>True when the diagnostic carries an edit and its literal is still in the document.</summary>
    public static bool CanFix(SyntaxNode root, Diagnostic diagnostic, out string replacement)
    {
        replacement = string.Empty;
        return TemplateEdit.TryRead(diagnostic.Properties, out var template, out _, out _, out replacement)
            && TemplateLiterals.Find(root, diagnostic.Location, template) is not null;
    }

    /// <summary>Applies every diagnostic's edit, several per literal if need be, in one pass over the document.</summary>
    public static async Task<Document> ApplyAsync(Document document, IEnumerable<Diagnostic> diagnostics, CancellationToken cancellationToken)
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

    public static ImmutableArray<Diagnostic> Single(Diagnostic diagnostic) => ImmutableArray.Create(diagnostic);
}
