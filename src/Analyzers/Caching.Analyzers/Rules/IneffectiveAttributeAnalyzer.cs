using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Caching.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Caching.Analyzers.Rules;

/// <summary>CACHE009: [Cached] or [InvalidatesCache] where the generator never looks.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class IneffectiveAttributeAnalyzer : MethodRuleAnalyzer
{
    /// <summary>Creates the rule.</summary>
    public IneffectiveAttributeAnalyzer()
        : base(DiagnosticDescriptors.IneffectiveAttribute)
    {
    }

    /// <inheritdoc/>
    private protected override void AnalyzeMethod(SymbolAnalysisContext context, IMethodSymbol method, CachingSymbols symbols)
    {
        var attributes = method.GetAttributes();
        string? reason = null;
        foreach (var attribute in attributes)
        {
            if (!symbols.IsCachingAttribute(attribute) || attribute.ApplicationSyntaxReference is null)
            {
                continue;
            }

            reason ??= Reason(method, attributes, symbols);
            if (reason is null)
            {
                return;
            }

            // Both attributes on an interface method is one mistake with two possible fixes: one diagnostic on the
            // first, the second as an additional location, so the fixer can offer to remove either.
            if (reason == BothReason)
            {
                ReportBoth(context, method, attributes, symbols);
                return;
            }

            var name = attribute.AttributeClass!.Name;
            if (name.EndsWith("Attribute", System.StringComparison.Ordinal))
            {
                name = name.Substring(0, name.Length - "Attribute".Length);
            }

            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.IneffectiveAttribute,
                attribute.ApplicationSyntaxReference.GetSyntax(context.CancellationToken).GetLocation(),
                name,
                SymbolNames.Method(method),
                reason));
        }
    }

    private const string BothReason = "the method has both [Cached] and [InvalidatesCache], and the generator decorates neither; split it into a reading and a writing method";

    private static void ReportBoth(SymbolAnalysisContext context, IMethodSymbol method, ImmutableArray<AttributeData> attributes, CachingSymbols symbols)
    {
        var locations = new List<Location>();
        string? first = null;
        foreach (var attribute in attributes)
        {
            if (symbols.IsCachingAttribute(attribute) && attribute.ApplicationSyntaxReference is { } reference)
            {
                locations.Add(reference.GetSyntax(context.CancellationToken).GetLocation());
                first ??= ShortName(attribute);
            }
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.IneffectiveAttribute,
            locations[0],
            locations.Skip(1),
            first,
            SymbolNames.Method(method),
            BothReason));
    }

    private static string ShortName(AttributeData attribute)
    {
        var name = attribute.AttributeClass!.Name;
        return name.EndsWith("Attribute", System.StringComparison.Ordinal) ? name.Substring(0, name.Length - "Attribute".Length) : name;
    }

    private static string? Reason(IMethodSymbol method, ImmutableArray<AttributeData> attributes, CachingSymbols symbols)
    {
        switch (method.MethodKind)
        {
            case MethodKind.PropertyGet:
            case MethodKind.PropertySet:
                return "it is on a property accessor, and only methods are decorated; turn the property into a method";
            case MethodKind.EventAdd:
            case MethodKind.EventRemove:
            case MethodKind.EventRaise:
                return "it is on an event accessor, and only methods are decorated";
        }

        if (method.IsStatic)
        {
            return "the method is static, and only instance interface methods are decorated";
        }

        // A method that reads through the cache and invalidates it at once is forwarded untouched by the generator.
        if (attributes.Any(symbols.IsCached) && attributes.Any(symbols.IsInvalidatesCache))
        {
            return BothReason;
        }

        var type = method.ContainingType;
        if (type is null || type.TypeKind == TypeKind.Interface || type.TypeKind == TypeKind.Error)
        {
            return null;
        }

        return IsReachedThroughAnnotatedInterface(method, type, symbols)
            ? null
            : $"'{type.Name}' is not an interface, and no annotated interface method is implemented by this method; the generator reads the attributes of interface methods";
    }

    private static bool IsReachedThroughAnnotatedInterface(IMethodSymbol method, INamedTypeSymbol type, CachingSymbols symbols)
    {
        foreach (var contract in type.AllInterfaces)
        {
            foreach (var member in contract.GetMembers(InterfaceMemberName(method)))
            {
                if (member is not IMethodSymbol interfaceMethod || !HasCachingAttribute(interfaceMethod, symbols))
                {
                    continue;
                }

                var implementation = type.FindImplementationForInterfaceMember(interfaceMethod);
                if (SymbolEqualityComparer.Default.Equals(implementation?.OriginalDefinition, method.OriginalDefinition))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static string InterfaceMemberName(IMethodSymbol method)
    {
        // An explicit implementation is named "IFoo.Bar"; the interface member is "Bar".
        if (method.MethodKind == MethodKind.ExplicitInterfaceImplementation && method.ExplicitInterfaceImplementations.Length > 0)
        {
            return method.ExplicitInterfaceImplementations[0].Name;
        }

        return method.Name;
    }

    private static bool HasCachingAttribute(IMethodSymbol method, CachingSymbols symbols)
    {
        foreach (var attribute in method.GetAttributes())
        {
            if (symbols.IsCachingAttribute(attribute))
            {
                return true;
            }
        }

        return false;
    }
}
