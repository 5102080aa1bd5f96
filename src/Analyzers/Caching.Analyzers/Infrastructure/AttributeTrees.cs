using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Caching.Analyzers.Infrastructure;

/// <summary>
/// Which syntax trees can hold a caching attribute, told from syntax alone. An attribute binds to
/// <c>CachedAttribute</c> only when the name it is written with ends in <c>Cached</c> or <c>CachedAttribute</c>, or in
/// an alias (declared in its own file or globally in any file); so a type declared only in files with no such name has
/// no template, and the index does not bind its members. In an IDE every edit makes a new compilation whose symbols
/// are all unbound: binding the members and attributes of every class (loggers, DTOs, controllers) to find the few
/// caching attributes was two thirds of re-analyzing one document (issue 12's compile-time budget). The names of each
/// tree are read once per tree, which an edit elsewhere does not replace.
/// </summary>
internal sealed class AttributeTrees
{
    private static readonly ConditionalWeakTable<SyntaxTree, TreeNames> PerTree = new();

    private static readonly string[] CachingNames = { "Cached", "CachedAttribute", "InvalidatesCache", "InvalidatesCacheAttribute" };

    private readonly HashSet<string> _globalAliases = new(System.StringComparer.Ordinal);
    private readonly Dictionary<SyntaxTree, bool> _verdicts = new();
    private readonly CancellationToken _cancellationToken;

    public AttributeTrees(Compilation compilation, CancellationToken cancellationToken)
    {
        _cancellationToken = cancellationToken;
        foreach (var tree in compilation.SyntaxTrees)
        {
            _globalAliases.UnionWith(NamesOf(tree).GlobalAliases);
        }
    }

    /// <summary>False when no declaration of <paramref name="type"/> is in a file that can hold a caching attribute.</summary>
    public bool MayHoldCachingAttributes(INamedTypeSymbol type)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (MayHoldCachingAttributes(reference.SyntaxTree))
            {
                return true;
            }
        }

        return false;
    }

    private bool MayHoldCachingAttributes(SyntaxTree tree)
    {
        if (_verdicts.TryGetValue(tree, out var verdict))
        {
            return verdict;
        }

        var names = NamesOf(tree);
        verdict = false;
        foreach (var name in names.AttributeNames)
        {
            if (System.Array.IndexOf(CachingNames, name) >= 0 || IsAlias(name, names) || IsAlias(name + "Attribute", names))
            {
                verdict = true;
                break;
            }
        }

        _verdicts[tree] = verdict;
        return verdict;
    }

    private bool IsAlias(string name, TreeNames names) => names.LocalAliases.Contains(name) || _globalAliases.Contains(name);

    private TreeNames NamesOf(SyntaxTree tree) => PerTree.GetValue(tree, t => TreeNames.Read(t, _cancellationToken));

    /// <summary>The simple names attributes are written with in one file, and the aliases it declares.</summary>
    private sealed class TreeNames
    {
        public HashSet<string> AttributeNames { get; } = new(System.StringComparer.Ordinal);

        public HashSet<string> LocalAliases { get; } = new(System.StringComparer.Ordinal);

        public List<string> GlobalAliases { get; } = new();

        public static TreeNames Read(SyntaxTree tree, CancellationToken cancellationToken)
        {
            var names = new TreeNames();

            // Declarations only: an attribute inside a body belongs to a lambda or a local function, never indexed.
            foreach (var node in tree.GetRoot(cancellationToken).DescendantNodes(static n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax or MemberDeclarationSyntax or AccessorListSyntax or AccessorDeclarationSyntax or AttributeListSyntax))
            {
                switch (node)
                {
                    case AttributeSyntax attribute when RightmostName(attribute.Name) is { } name:
                        names.AttributeNames.Add(name);
                        break;
                    case UsingDirectiveSyntax { Alias: { } alias } directive:
                        if (directive.GlobalKeyword.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.GlobalKeyword))
                        {
                            names.GlobalAliases.Add(alias.Name.Identifier.ValueText);
                        }
                        else
                        {
                            names.LocalAliases.Add(alias.Name.Identifier.ValueText);
                        }

                        break;
                }
            }

            return names;
        }

        private static string? RightmostName(NameSyntax name) => name switch
        {
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            AliasQualifiedNameSyntax aliased => aliased.Name.Identifier.ValueText,
            _ => null,
        };
    }
}
