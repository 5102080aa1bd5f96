using Caching.Templates;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Caching.Analyzers.Infrastructure;

/// <summary>
/// One template string of a caching attribute, parsed, with the syntax it was written in. A site read from a method
/// symbol knows its method at once; a site of the index may come from a tree read in an earlier compilation
/// (<see cref="TreeTemplates"/>), and binds its method in the current one only when a rule asks.
/// </summary>
internal sealed class TemplateSite
{
    private readonly System.Func<IMethodSymbol>? _bindMethod;
    private IMethodSymbol? _method;
    private AttributeData? _attribute;
    private string? _methodName;
    private string? _declaringType;
    private int _ownPrefixSegments = -1;
    private (string? Path, int Start)? _sourcePosition;

    public TemplateSite(IMethodSymbol method, AttributeData attribute, AttributeSyntax? attributeSyntax, TemplateRole role, KeyTemplate template, ExpressionSyntax? expression)
    {
        _method = method;
        _attribute = attribute;
        AttributeSyntax = attributeSyntax;
        Role = role;
        Template = template;
        Expression = expression;
    }

    /// <summary>A site of the index whose facts were read in an earlier compilation; <paramref name="bindMethod"/> finds its method in this one.</summary>
    public TemplateSite(TreeTemplates.Site site, System.Func<IMethodSymbol> bindMethod)
    {
        _bindMethod = bindMethod;
        AttributeSyntax = site.AttributeSyntax;
        Role = site.Role;
        Template = site.Template;
        Expression = site.Expression;
        _methodName = site.MethodName;
        _declaringType = site.DeclaringType;
        _ownPrefixSegments = site.OwnPrefixSegments;
        _sourcePosition = (site.Path, site.Start);
    }

    public IMethodSymbol Method => _method ??= _bindMethod!();

    public AttributeData Attribute => _attribute ??= FindAttribute();

    public AttributeSyntax? AttributeSyntax { get; }

    public TemplateRole Role { get; }

    public KeyTemplate Template { get; }

    public string Text => Template.Text;

    /// <summary>The expression that produced the string (a literal, a constant, a concatenation), when it could be found.</summary>
    public ExpressionSyntax? Expression { get; }

    /// <summary>The whole template: its expression, else its attribute, else the method name.</summary>
    public Location Location =>
        Expression?.GetLocation()
        ?? AttributeSyntax?.GetLocation()
        ?? (Method.Locations.Length > 0 ? Method.Locations[0] : Microsoft.CodeAnalysis.Location.None);

    /// <summary>Where the template is, for putting sites in source order without making a <see cref="Location"/> each.</summary>
    public (string? Path, int Start) SourcePosition
    {
        get
        {
            if (_sourcePosition is { } known)
            {
                return known;
            }

            var location = Location;
            return (_sourcePosition = (location.SourceTree?.FilePath, location.SourceSpan.Start)).Value;
        }
    }

    /// <summary>"key", "pattern" or "tag", for messages.</summary>
    public string RoleName => Role switch
    {
        TemplateRole.Key => "key",
        TemplateRole.Pattern => "pattern",
        _ => "tag",
    };

    /// <summary>The template as it reads in a message: control characters are shown as escapes.</summary>
    public string DisplayText => TemplateText.Display(Text);

    /// <summary>"IUserService.GetProfileAsync", for messages.</summary>
    public string MethodName => _methodName ??= SymbolNames.Method(Method);

    /// <summary>The declaring type's original definition, as <see cref="SymbolNames.TypeKey"/> writes it.</summary>
    public string DeclaringType => _declaringType ??= SymbolNames.TypeKey(Method.ContainingType);

    /// <summary>The type-argument segments the declaring type's own decorator writes (<see cref="Binding.KeySpaces.PrefixSegments"/>).</summary>
    public int OwnPrefixSegments => _ownPrefixSegments >= 0 ? _ownPrefixSegments : _ownPrefixSegments = Binding.KeySpaces.PrefixSegments(Method.ContainingType);

    /// <summary>
    /// The source location of template characters [start, start + length). Exact when the template is a plain
    /// literal whose source text equals its value; otherwise (escapes, constants, concatenations) the whole expression.
    /// </summary>
    public Location GetLocation(int start, int length)
    {
        if (Expression is LiteralExpressionSyntax literal
            && length > 0
            && start >= 0
            && start + length <= Text.Length
            && TemplateText.TryGetContentStart(literal.Token, Text, out var contentStart))
        {
            return Microsoft.CodeAnalysis.Location.Create(literal.SyntaxTree, new TextSpan(contentStart + start, length));
        }

        return Location;
    }

    /// <summary>True when the template is a string literal a code fix can rewrite.</summary>
    public bool IsLiteral => Expression is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.StringLiteralExpression);

    private AttributeData FindAttribute()
    {
        foreach (var attribute in Method.GetAttributes())
        {
            if (attribute.ApplicationSyntaxReference is { } reference && AttributeSyntax is not null
                && reference.SyntaxTree == AttributeSyntax.SyntaxTree && reference.Span == AttributeSyntax.Span)
            {
                return attribute;
            }
        }

        throw new System.InvalidOperationException("the attribute of template '" + Text + "' is no longer on " + MethodName);
    }
}
