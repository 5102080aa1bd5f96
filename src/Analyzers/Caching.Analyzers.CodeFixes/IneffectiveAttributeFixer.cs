using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Caching.Analyzers.CodeFixes;

/// <summary>CACHE009: removes the attribute that has no effect.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(IneffectiveAttributeFixer))]
[Shared]
public sealed class IneffectiveAttributeFixer : CodeFixProvider
{
    private const string EquivalenceKey = RuleIdentifiers.IneffectiveAttribute + ".Remove";

    // A method with both [Cached] and [InvalidatesCache] gets one diagnostic on the first, with the other as an
    // additional location: this action removes that other one instead.
    private const string OtherEquivalenceKey = RuleIdentifiers.IneffectiveAttribute + ".RemoveOther";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.IneffectiveAttribute);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() =>
        FixAllProvider.Create(async (context, document, diagnostics) =>
            await RemoveAsync(document, diagnostics, context.CodeActionEquivalenceKey == OtherEquivalenceKey, context.CancellationToken).ConfigureAwait(false));

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
                    cancellationToken => RemoveAsync(context.Document, ImmutableArray.Create(diagnostic), other: false, cancellationToken),
                    EquivalenceKey),
                diagnostic);
            if (FindOthers(root, diagnostic).FirstOrDefault() is { } other)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Remove [{other.Name}]",
                        cancellationToken => RemoveAsync(context.Document, ImmutableArray.Create(diagnostic), other: true, cancellationToken),
                        OtherEquivalenceKey),
                    diagnostic);
            }
        }
    }

    private static AttributeSyntax? FindAttribute(SyntaxNode root, Diagnostic diagnostic) => FindAttribute(root, diagnostic.Location);

    private static IEnumerable<AttributeSyntax> FindOthers(SyntaxNode root, Diagnostic diagnostic)
    {
        foreach (var location in diagnostic.AdditionalLocations)
        {
            if (location.SourceTree == root.SyntaxTree && FindAttribute(root, location) is { } attribute)
            {
                yield return attribute;
            }
        }
    }

    private static AttributeSyntax? FindAttribute(SyntaxNode root, Location location)
    {
        var span = location.SourceSpan;
        if (!root.FullSpan.Contains(span))
        {
            return null;
        }

        var attribute = root.FindNode(span, getInnermostNodeForTie: true).FirstAncestorOrSelf<AttributeSyntax>();
        return attribute?.Parent is AttributeListSyntax ? attribute : null;
    }

    /// <summary>
    /// Edits text rather than trees so the layout around the removal stays exactly as the user wrote it: a list on
    /// its own line goes with its line; a list that loses some attributes keeps the others in order.
    /// </summary>
    private static async Task<Document> RemoveAsync(Document document, ImmutableArray<Diagnostic> diagnostics, bool other, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var removed = new HashSet<AttributeSyntax>();
        foreach (var diagnostic in diagnostics)
        {
            var attribute = other ? FindOthers(root, diagnostic).FirstOrDefault() : FindAttribute(root, diagnostic);
            if (attribute is not null)
            {
                removed.Add(attribute);
            }
        }

        var changes = new List<TextChange>();
        foreach (var list in removed.Select(a => (AttributeListSyntax)a.Parent!).Distinct())
        {
            var kept = list.Attributes.Where(a => !removed.Contains(a)).ToList();
            if (kept.Count == 0)
            {
                changes.Add(new TextChange(WholeListSpan(list, text), string.Empty));
            }
            else
            {
                var inner = TextSpan.FromBounds(list.Attributes.First().SpanStart, list.Attributes.Last().Span.End);
                changes.Add(new TextChange(inner, string.Join(", ", kept.Select(a => a.ToString()))));
            }
        }

        return changes.Count == 0 ? document : document.WithText(text.WithChanges(changes));
    }

    private static TextSpan WholeListSpan(AttributeListSyntax list, SourceText text)
    {
        var firstLine = text.Lines.GetLineFromPosition(list.SpanStart);
        var lastLine = text.Lines.GetLineFromPosition(list.Span.End);
        if (IsBlank(text, TextSpan.FromBounds(firstLine.Start, list.SpanStart)) && IsBlank(text, TextSpan.FromBounds(list.Span.End, lastLine.End)))
        {
            return TextSpan.FromBounds(firstLine.Start, lastLine.EndIncludingLineBreak);
        }

        // "[Cached("k")] public Task M()": take the spaces after the list along with it.
        var end = list.Span.End;
        while (end < text.Length && (text[end] == ' ' || text[end] == '\t'))
        {
            end++;
        }

        return TextSpan.FromBounds(list.SpanStart, end);
    }

    private static bool IsBlank(SourceText text, TextSpan span)
    {
        for (var i = span.Start; i < span.End; i++)
        {
            if (!char.IsWhiteSpace(text[i]))
            {
                return false;
            }
        }

        return true;
    }
}
