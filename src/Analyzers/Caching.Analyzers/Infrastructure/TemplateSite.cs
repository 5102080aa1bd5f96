using Caching.Templates;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Caching.Analyzers.Infrastructure;

/// <summary>One template string of a caching attribute, parsed, with the syntax it was written in.</summary>
internal sealed class TemplateSite
{
    public TemplateSite(IMethodSymbol method, AttributeData attribute, AttributeSyntax? attributeSyntax, TemplateRole role, KeyTemplate template, ExpressionSyntax? expression)
    {
        Method = method;
        Attribute = attribute;
        AttributeSyntax = attributeSyntax;
        Role = role;
        Template = template;
        Expression = expression;
    }

    public IMethodSymbol Method { get; }

    public AttributeData Attribute { get; }

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
    public string MethodName => SymbolNames.Method(Method);

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
}
