using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Caching.Analyzers.Infrastructure;

/// <summary>
/// Which declarations can carry a caching attribute, told from syntax alone. An attribute binds to
/// <c>CachedAttribute</c> only when the name it is written with ends in <c>Cached</c> or <c>CachedAttribute</c>, or in
/// an alias (declared in its own file or globally in any file); so only such declarations are bound to read their
/// templates. In an IDE every edit makes a new compilation whose symbols are all unbound: binding the members and
/// attributes of every class (loggers, DTOs, controllers) to find the few caching attributes was two thirds of
/// re-analyzing one document (issue 12's compile-time budget). Each tree's names are read once per tree, which an
/// edit elsewhere does not replace; the global usings of all of them are part of <see cref="ReuseContext"/>.
/// </summary>
internal sealed class AttributeTrees
{
    private static readonly ConditionalWeakTable<SyntaxTree, TreeNames> PerTree = new();

    private static readonly string[] CachingNames = { "Cached", "CachedAttribute", "InvalidatesCache", "InvalidatesCacheAttribute" };

    private readonly HashSet<string> _globalAliases = new(System.StringComparer.Ordinal);
    private readonly List<string> _globalUsings = new();
    private readonly CancellationToken _cancellationToken;

    public AttributeTrees(Compilation compilation, CancellationToken cancellationToken)
    {
        _cancellationToken = cancellationToken;
        foreach (var tree in compilation.SyntaxTrees)
        {
            var names = NamesOf(tree);
            _globalAliases.UnionWith(names.GlobalAliases);
            _globalUsings.AddRange(names.GlobalUsings);
        }

        _globalUsings.Sort(System.StringComparer.Ordinal);
        GlobalUsings = string.Join("\n", _globalUsings);
    }

    /// <summary>Every global using directive of the compilation, sorted, one per line.</summary>
    public string GlobalUsings { get; }

    /// <summary>The declarations of <paramref name="tree"/> that can carry an indexed attribute, and the attributes themselves.</summary>
    public static IEnumerable<SyntaxNode> Declarations(SyntaxTree tree, CancellationToken cancellationToken) =>
        // An attribute inside a body belongs to a lambda or a local function, never indexed.
        tree.GetRoot(cancellationToken).DescendantNodes(static n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax or MemberDeclarationSyntax or AccessorListSyntax or AccessorDeclarationSyntax or AttributeListSyntax);

    /// <summary>The attributes on <paramref name="declaration"/> whose names may bind to a caching attribute.</summary>
    public List<AttributeSyntax> CandidateAttributes(SyntaxNode declaration, SyntaxTree tree)
    {
        var lists = declaration switch
        {
            MemberDeclarationSyntax member => member.AttributeLists,
            AccessorDeclarationSyntax accessor => accessor.AttributeLists,
            _ => default,
        };
        var found = new List<AttributeSyntax>();
        var names = NamesOf(tree);
        foreach (var list in lists)
        {
            foreach (var attribute in list.Attributes)
            {
                if (RightmostName(attribute.Name) is { } name && MayBeCaching(name, names))
                {
                    found.Add(attribute);
                }
            }
        }

        return found;
    }

    /// <summary>True when some attribute on <paramref name="declaration"/> may bind to a caching attribute.</summary>
    public bool MayBeCachingAttribute(SyntaxNode declaration, SyntaxTree tree) => CandidateAttributes(declaration, tree).Count > 0;

    /// <summary>False when no attribute in <paramref name="tree"/> can bind to a caching attribute.</summary>
    public bool MayHoldCachingAttributes(SyntaxTree tree)
    {
        var names = NamesOf(tree);
        foreach (var name in names.AttributeNames)
        {
            if (MayBeCaching(name, names))
            {
                return true;
            }
        }

        return false;
    }

    private bool MayBeCaching(string name, TreeNames names) =>
        System.Array.IndexOf(CachingNames, name) >= 0 || IsAlias(name, names) || IsAlias(name + "Attribute", names);

    private bool IsAlias(string name, TreeNames names) => names.LocalAliases.Contains(name) || _globalAliases.Contains(name);

    private TreeNames NamesOf(SyntaxTree tree) => PerTree.GetValue(tree, t => TreeNames.Read(t, _cancellationToken));

    /// <summary>The simple names attributes are written with in one file, and the aliases it declares.</summary>
    private sealed class TreeNames
    {
        public HashSet<string> AttributeNames { get; } = new(System.StringComparer.Ordinal);

        public HashSet<string> LocalAliases { get; } = new(System.StringComparer.Ordinal);

        public List<string> GlobalAliases { get; } = new();

        public List<string> GlobalUsings { get; } = new();

        public static TreeNames Read(SyntaxTree tree, CancellationToken cancellationToken)
        {
            var names = new TreeNames();

            foreach (var node in Declarations(tree, cancellationToken))
            {
                switch (node)
                {
                    case AttributeSyntax attribute when RightmostName(attribute.Name) is { } name:
                        names.AttributeNames.Add(name);
                        break;
                    case UsingDirectiveSyntax directive:
                        var global = directive.GlobalKeyword.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.GlobalKeyword);
                        if (global)
                        {
                            names.GlobalUsings.Add(directive.ToString());
                        }

                        if (directive.Alias is { } alias)
                        {
                            (global ? (ICollection<string>)names.GlobalAliases : names.LocalAliases).Add(alias.Name.Identifier.ValueText);
                        }

                        break;
                }
            }

            return names;
        }

    }

    private static string? RightmostName(NameSyntax name) => name switch
    {
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        AliasQualifiedNameSyntax aliased => aliased.Name.Identifier.ValueText,
        _ => null,
    };
}
