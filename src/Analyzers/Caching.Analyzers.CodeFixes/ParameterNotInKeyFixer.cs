using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Caching.Analyzers.CodeFixes.Infrastructure;
using Caching.Analyzers.Infrastructure;
using Caching.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace Caching.Analyzers.CodeFixes;

/// <summary>CACHE002: appends <c>:{param}</c> to the key, or marks the parameter <c>[NotCacheKey]</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ParameterNotInKeyFixer))]
[Shared]
public sealed class ParameterNotInKeyFixer : CodeFixProvider
{
    /// <summary>Equivalence key of the "append to the key" fix.</summary>
    public const string AppendToKey = RuleIdentifiers.ParameterNotInKey + ".AppendToKey";

    /// <summary>Equivalence key of the "mark [NotCacheKey]" fix.</summary>
    public const string MarkNotCacheKey = RuleIdentifiers.ParameterNotInKey + ".NotCacheKey";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.ParameterNotInKey);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() =>
        FixAllProvider.Create(async (context, document, diagnostics) => context.CodeActionEquivalenceKey == AppendToKey
            ? await AppendAsync(document, diagnostics, context.CancellationToken).ConfigureAwait(false)
            : await MarkAsync(document, diagnostics, context.CancellationToken).ConfigureAwait(false));

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
            if (!diagnostic.Properties.TryGetValue(ParameterNotInKeyAnalyzer.ParameterNameKey, out var name) || name is null)
            {
                continue;
            }

            var single = ImmutableArray.Create(diagnostic);
            if (FindKeyLiteral(root, diagnostic) is not null)
            {
                context.RegisterCodeFix(
                    CodeAction.Create($"Add '{{{name}}}' to the cache key", ct => AppendAsync(context.Document, single, ct), AppendToKey),
                    diagnostic);
            }

            if (FindParameter(root, diagnostic) is not null)
            {
                context.RegisterCodeFix(
                    CodeAction.Create($"Mark '{name}' with [NotCacheKey]", ct => MarkAsync(context.Document, single, ct), MarkNotCacheKey),
                    diagnostic);
            }
        }
    }

    private static LiteralExpressionSyntax? FindKeyLiteral(SyntaxNode root, Diagnostic diagnostic)
    {
        if (diagnostic.AdditionalLocations.Count == 0
            || !diagnostic.Properties.TryGetValue(TemplateEdit.TemplateKey, out var template)
            || template is null)
        {
            return null;
        }

        var location = diagnostic.AdditionalLocations[0];
        return location.SourceTree == root.SyntaxTree ? TemplateLiterals.Find(root, location, template) : null;
    }

    private static ParameterSyntax? FindParameter(SyntaxNode root, Diagnostic diagnostic)
    {
        var span = diagnostic.Location.SourceSpan;
        return root.FullSpan.Contains(span)
            ? root.FindNode(span, getInnermostNodeForTie: true).FirstAncestorOrSelf<ParameterSyntax>()
            : null;
    }

    private static async Task<Document> AppendAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        // Several parameters of one method append to the same literal: in parameter order, in one rewrite.
        var ordered = new List<Diagnostic>(diagnostics);
        ordered.Sort((a, b) => a.Location.SourceSpan.Start.CompareTo(b.Location.SourceSpan.Start));
        var edits = new Dictionary<LiteralExpressionSyntax, List<TextEdit>>();
        foreach (var diagnostic in ordered)
        {
            var literal = FindKeyLiteral(root, diagnostic);
            if (literal is null || !diagnostic.Properties.TryGetValue(ParameterNotInKeyAnalyzer.ParameterNameKey, out var name) || name is null)
            {
                continue;
            }

            if (!edits.TryGetValue(literal, out var list))
            {
                list = new List<TextEdit>();
                edits.Add(literal, list);
            }

            var end = literal.Token.ValueText.Length;
            list.Add(new TextEdit(end, 0, ":{" + name + "}", list.Count));
        }

        if (edits.Count == 0)
        {
            return document;
        }

        return document.WithSyntaxRoot(root.ReplaceNodes(edits.Keys, (original, _) => TemplateLiterals.Rewrite(original, edits[original])));
    }

    private static async Task<Document> MarkAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var parameters = new HashSet<ParameterSyntax>();
        foreach (var diagnostic in diagnostics)
        {
            if (FindParameter(root, diagnostic) is { } parameter)
            {
                parameters.Add(parameter);
            }
        }

        if (parameters.Count == 0)
        {
            return document;
        }

        return document.WithSyntaxRoot(root.ReplaceNodes(parameters, (original, _) => WithNotCacheKey(original)));
    }

    private static ParameterSyntax WithNotCacheKey(ParameterSyntax parameter)
    {
        var name = SyntaxFactory.ParseName("global::Caching.NotCacheKey").WithAdditionalAnnotations(Simplifier.Annotation);
        var list = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Attribute(name)))
            .WithTrailingTrivia(SyntaxFactory.Space);

        // The parameter's leading trivia (a line break and indentation in a multi-line list) moves in front of the new attribute.
        var leading = parameter.GetLeadingTrivia();
        return parameter
            .WithoutLeadingTrivia()
            .WithAttributeLists(parameter.WithoutLeadingTrivia().AttributeLists.Insert(0, list.WithLeadingTrivia(leading)));
    }
}
