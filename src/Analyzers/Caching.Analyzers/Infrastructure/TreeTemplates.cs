using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Caching.Analyzers.Infrastructure;

/// <summary>
/// The valid templates one syntax tree declares, without symbols, remembered per tree. An IDE makes a new compilation
/// for every keystroke, with every symbol unbound, but keeps every tree the keystroke did not touch; binding each
/// tree's caching attributes again to rebuild the index was the whole cost of re-analyzing one document at scale
/// (issue 12's compile-time budget). What a tree says about its templates depends only on its own text, except the
/// attribute classes its names bind to and the global usings of other files: <see cref="ReuseContext"/> holds those,
/// and a reading is reused only under the same one. A tree whose templates depend on anything else (a constant
/// declared elsewhere, a partial method whose other half may live in another file) is read again every time.
/// </summary>
internal sealed class TreeTemplates
{
    private static readonly ConditionalWeakTable<SyntaxTree, TreeTemplates> PerTree = new();

    private TreeTemplates(ReuseContext context, bool reusable, List<Site> sites, List<SyntaxNode> inheritingInterfaces)
    {
        Context = context;
        Reusable = reusable;
        Sites = sites;
        InheritingInterfaces = inheritingInterfaces;
    }

    /// <summary>Under which references and global usings the tree was read.</summary>
    public ReuseContext Context { get; }

    /// <summary>False when the templates depend on more than the tree and the context.</summary>
    public bool Reusable { get; }

    /// <summary>The valid templates, in the order the tree declares them.</summary>
    public List<Site> Sites { get; }

    /// <summary>Interface declarations with a base list: what they inherit is bound in each compilation.</summary>
    public List<SyntaxNode> InheritingInterfaces { get; }

    /// <summary>The tree's templates in <paramref name="symbols"/>' compilation: the remembered ones when they still hold.</summary>
    public static TreeTemplates Of(SyntaxTree tree, CachingSymbols symbols, ReuseContext context, AttributeTrees attributeTrees, CancellationToken cancellationToken)
    {
        lock (PerTree)
        {
            if (PerTree.TryGetValue(tree, out var known) && known.Reusable && known.Context == context)
            {
                return known;
            }
        }

        var read = Read(tree, symbols, context, attributeTrees, cancellationToken);
        lock (PerTree)
        {
            PerTree.Remove(tree);
            PerTree.Add(tree, read);
        }

        return read;
    }

    private static TreeTemplates Read(SyntaxTree tree, CachingSymbols symbols, ReuseContext context, AttributeTrees attributeTrees, CancellationToken cancellationToken)
    {
        var sites = new List<Site>();
        var interfaces = new List<SyntaxNode>();
        var reusable = true;
        var mayHoldTemplates = attributeTrees.MayHoldCachingAttributes(tree);
        SemanticModel? model = null;
        foreach (var node in AttributeTrees.Declarations(tree, cancellationToken))
        {
            if (node is InterfaceDeclarationSyntax { BaseList: not null })
            {
                interfaces.Add(node);
                continue;
            }

            if (!mayHoldTemplates || node is not (BaseMethodDeclarationSyntax or AccessorDeclarationSyntax))
            {
                continue;
            }

            var candidates = attributeTrees.CandidateAttributes(node, tree);
            if (candidates.Count == 0)
            {
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            model ??= symbols.Compilation.GetSemanticModel(tree);
            if (model.GetDeclaredSymbol(node, cancellationToken) is not IMethodSymbol method)
            {
                continue;
            }

            if (method.PartialDefinitionPart is not null || method.PartialImplementationPart is not null)
            {
                // The attributes of a partial method merge both halves, and the other half may be in another file. The
                // definition reads them; the implementation only when the definition's own attributes cannot.
                reusable = false;
                if (method.PartialDefinitionPart is { } definition)
                {
                    if (definition.DeclaringSyntaxReferences.Any(r => attributeTrees.MayBeCachingAttribute(r.GetSyntax(cancellationToken), r.SyntaxTree)))
                    {
                        continue;
                    }

                    method = definition;
                }
            }

            // An argument that is not a literal (a constant declared elsewhere) may change without this tree.
            reusable &= candidates.TrueForAll(static a => HasOnlyLiteralArguments(a));
            var type = method.ContainingType;
            foreach (var site in TemplateSites.Read(method, symbols, cancellationToken))
            {
                if (!site.Template.IsValid)
                {
                    continue;
                }

                sites.Add(new Site(
                    node,
                    site.AttributeSyntax,
                    site.Expression,
                    site.Role,
                    site.Template,
                    symbols.IsInvalidatesCache(site.Attribute),
                    site.MethodName,
                    SymbolNames.TypeKey(type),
                    Binding.KeySpaces.PrefixSegments(type)));
            }
        }

        return new TreeTemplates(context, reusable, sites, interfaces);
    }

    private static bool HasOnlyLiteralArguments(AttributeSyntax attribute)
    {
        if (attribute.ArgumentList is null)
        {
            return true;
        }

        // Only the templates (positional) and Tags reach the index; Sharing = ValueSharing.Copy and the like do not.
        foreach (var argument in attribute.ArgumentList.Arguments)
        {
            var isTemplate = argument.NameEquals is null || argument.NameEquals.Name.Identifier.ValueText == "Tags";
            if (isTemplate && !IsLiteral(argument.Expression))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsLiteral(ExpressionSyntax expression) =>
        TemplateSites.Elements(expression) is { } elements ? elements.All(IsLiteral) : expression is LiteralExpressionSyntax;

    /// <summary>One valid template of the tree, as the index needs it, in terms of syntax and strings.</summary>
    internal sealed class Site
    {
        public Site(SyntaxNode method, AttributeSyntax? attributeSyntax, ExpressionSyntax? expression, TemplateRole role, Caching.Templates.KeyTemplate template, bool onInvalidatesCache, string methodName, string declaringType, int ownPrefixSegments)
        {
            MethodSyntax = method;
            AttributeSyntax = attributeSyntax;
            Expression = expression;
            Role = role;
            Template = template;
            OnInvalidatesCache = onInvalidatesCache;
            MethodName = methodName;
            DeclaringType = declaringType;
            OwnPrefixSegments = ownPrefixSegments;
            var located = (SyntaxNode?)expression ?? (SyntaxNode?)attributeSyntax ?? method;
            Path = located.SyntaxTree.FilePath;
            Start = located.SpanStart;
        }

        /// <summary>The file and offset the site is sorted by.</summary>
        public string? Path { get; }

        public int Start { get; }

        /// <summary>The declaration of the method (or accessor) the attribute is on.</summary>
        public SyntaxNode MethodSyntax { get; }

        public AttributeSyntax? AttributeSyntax { get; }

        public ExpressionSyntax? Expression { get; }

        public TemplateRole Role { get; }

        public Caching.Templates.KeyTemplate Template { get; }

        /// <summary>True for the templates of an [InvalidatesCache] (its patterns and tags), false for a [Cached]'s.</summary>
        public bool OnInvalidatesCache { get; }

        public string MethodName { get; }

        /// <summary><see cref="SymbolNames.TypeKey"/> of the method's declaring type.</summary>
        public string DeclaringType { get; }

        public int OwnPrefixSegments { get; }
    }
}
