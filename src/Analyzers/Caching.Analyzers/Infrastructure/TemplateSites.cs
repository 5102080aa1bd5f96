using System.Collections.Generic;
using System.Threading;
using Caching.Templates;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Caching.Analyzers.Infrastructure;

/// <summary>Reads the template strings of a method's caching attributes and finds the syntax each came from.</summary>
internal static class TemplateSites
{
    private const string TagsProperty = "Tags";

    /// <summary>Every key, pattern and tag template on <paramref name="method"/>, in source order.</summary>
    public static List<TemplateSite> Read(IMethodSymbol method, CachingSymbols symbols, CancellationToken cancellationToken)
    {
        var sites = new List<TemplateSite>();
        foreach (var attribute in method.GetAttributes())
        {
            var isCached = symbols.IsCached(attribute);
            if (!isCached && !symbols.IsInvalidatesCache(attribute))
            {
                continue;
            }

            var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
            if (attribute.ConstructorArguments.Length == 1)
            {
                var argument = attribute.ConstructorArguments[0];
                var expression = FirstPositionalArgument(syntax);
                if (isCached)
                {
                    if (argument.Kind == TypedConstantKind.Primitive || (argument.Kind != TypedConstantKind.Error && argument.IsNull))
                    {
                        sites.Add(new TemplateSite(method, attribute, syntax, TemplateRole.Key, KeyTemplate.ParseKey(argument.Value as string), expression));
                    }
                }
                else
                {
                    AddArray(sites, method, attribute, syntax, TemplateRole.Pattern, argument, PositionalElements(syntax, argument));
                }
            }

            foreach (var named in attribute.NamedArguments)
            {
                if (named.Key == TagsProperty)
                {
                    var expression = NamedArgument(syntax, TagsProperty);
                    AddArray(sites, method, attribute, syntax, TemplateRole.Tag, named.Value, expression is null ? null : Elements(expression));
                }
            }
        }

        return sites;
    }

    /// <summary>The [Cached] key template among <paramref name="sites"/>, if there is one.</summary>
    public static TemplateSite? FindKey(List<TemplateSite> sites)
    {
        foreach (var site in sites)
        {
            if (site.Role == TemplateRole.Key)
            {
                return site;
            }
        }

        return null;
    }

    /// <summary>The value expression of a named attribute argument such as <c>LocalTtl = "5m"</c>.</summary>
    public static ExpressionSyntax? NamedArgument(AttributeSyntax? syntax, string name)
    {
        if (syntax?.ArgumentList is null)
        {
            return null;
        }

        foreach (var argument in syntax.ArgumentList.Arguments)
        {
            if (argument.NameEquals?.Name.Identifier.ValueText == name)
            {
                return argument.Expression;
            }
        }

        return null;
    }

    private static void AddArray(
        List<TemplateSite> sites,
        IMethodSymbol method,
        AttributeData attribute,
        AttributeSyntax? syntax,
        TemplateRole role,
        TypedConstant array,
        IReadOnlyList<ExpressionSyntax>? expressions)
    {
        if (array.Kind != TypedConstantKind.Array || array.IsNull)
        {
            return;
        }

        var values = array.Values;
        var mapped = expressions is not null && expressions.Count == values.Length;
        for (var i = 0; i < values.Length; i++)
        {
            var value = values[i];
            if (value.Kind == TypedConstantKind.Error || value.Kind == TypedConstantKind.Array)
            {
                continue;
            }

            var template = role == TemplateRole.Pattern ? KeyTemplate.ParsePattern(value.Value as string) : KeyTemplate.ParseKey(value.Value as string);
            sites.Add(new TemplateSite(method, attribute, syntax, role, template, mapped ? expressions![i] : null));
        }
    }

    private static ExpressionSyntax? FirstPositionalArgument(AttributeSyntax? syntax)
    {
        if (syntax?.ArgumentList is null)
        {
            return null;
        }

        foreach (var argument in syntax.ArgumentList.Arguments)
        {
            if (argument.NameEquals is null)
            {
                return argument.Expression;
            }
        }

        return null;
    }

    private static IReadOnlyList<ExpressionSyntax>? PositionalElements(AttributeSyntax? syntax, TypedConstant array)
    {
        if (syntax?.ArgumentList is null)
        {
            return null;
        }

        var positional = new List<ExpressionSyntax>();
        foreach (var argument in syntax.ArgumentList.Arguments)
        {
            if (argument.NameEquals is null)
            {
                positional.Add(argument.Expression);
            }
        }

        // params string[]: either one array written out (new[] { ... }, [ ... ]) or the elements themselves.
        if (positional.Count == 1 && Elements(positional[0]) is { } elements && (array.IsNull || elements.Count == array.Values.Length))
        {
            return elements;
        }

        return positional;
    }

    /// <summary>The elements of an array written out (<c>new[] { ... }</c>, <c>[ ... ]</c>), or null for anything else.</summary>
    public static IReadOnlyList<ExpressionSyntax>? Elements(ExpressionSyntax expression)
    {
        InitializerExpressionSyntax? initializer = expression switch
        {
            ArrayCreationExpressionSyntax creation => creation.Initializer,
            ImplicitArrayCreationExpressionSyntax implicitCreation => implicitCreation.Initializer,
            _ => null,
        };
        if (initializer is not null)
        {
            return initializer.Expressions;
        }

        if (expression is CollectionExpressionSyntax collection)
        {
            var elements = new List<ExpressionSyntax>(collection.Elements.Count);
            foreach (var element in collection.Elements)
            {
                if (element is not ExpressionElementSyntax expressionElement)
                {
                    return null;
                }

                elements.Add(expressionElement.Expression);
            }

            return elements;
        }

        return null;
    }
}
