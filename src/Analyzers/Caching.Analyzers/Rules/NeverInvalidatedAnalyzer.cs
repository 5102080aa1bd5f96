using System;
using Caching.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Caching.Analyzers.Rules;

/// <summary>CACHE011: a [Cached] key template that no [InvalidatesCache] pattern of the compilation can reach.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NeverInvalidatedAnalyzer : RuleAnalyzer
{
    /// <summary>Creates the rule.</summary>
    public NeverInvalidatedAnalyzer()
        : base(DiagnosticDescriptors.NeverInvalidated)
    {
    }

    /// <inheritdoc/>
    private protected override Action<SymbolAnalysisContext, IMethodSymbol>? Start(CompilationTemplates templates) =>
        templates.Symbols.CachedAttribute is null
            ? null
            : (context, method) => Analyze(context, method, templates);

    private static void Analyze(SymbolAnalysisContext context, IMethodSymbol method, CompilationTemplates templates)
    {
        // A method with both attributes is decorated as neither (CACHE009's report): its key is no key at all.
        var sites = TemplateSites.Read(method, templates.Symbols, context.CancellationToken);
        var key = TemplateSites.FindKey(sites);
        if (key is null
            || !key.Template.IsValid
            || HasBoth(method, templates.Symbols)
            || IsReached(key, templates)
            || IsReachedByTag(sites, templates))
        {
            return;
        }

        // Reference data cached for its TTL is a design, not a mistake, and a warning there would push projects that
        // treat warnings as errors to switch the rule off. A key of an interface that does invalidate other keys is
        // most likely one its writers forgot: that one is a warning, which the command-line build shows (an Info
        // diagnostic never appears in dotnet build output, at any verbosity).
        var severity = WritesData(method.ContainingType, templates.Symbols) ? DiagnosticSeverity.Warning : DiagnosticSeverity.Info;
        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.NeverInvalidated,
            key.Location,
            severity,
            additionalLocations: null,
            properties: null,
            key.DisplayText,
            key.MethodName));
    }

    // Only patterns that agree with the key's literal segments can reach it: the index hands out those, not all N.
    private static bool IsReached(TemplateSite key, CompilationTemplates templates)
    {
        foreach (var pattern in templates.PatternIndex.Candidates(templates.FormsOf(key)))
        {
            if (templates.CanOverlap(key, pattern))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>[InvalidatesCache(Tags = ...)] removes every entry stored with a matching tag: that reaches the key too.</summary>
    private static bool IsReachedByTag(System.Collections.Generic.List<TemplateSite> sites, CompilationTemplates templates)
    {
        foreach (var tag in sites)
        {
            if (tag.Role != TemplateRole.Tag || !tag.Template.IsValid || !templates.Symbols.IsCached(tag.Attribute))
            {
                continue;
            }

            foreach (var invalidated in templates.InvalidatedTagIndex.Candidates(templates.FormsOf(tag)))
            {
                if (templates.CanOverlap(tag, invalidated))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool HasBoth(IMethodSymbol method, CachingSymbols symbols)
    {
        bool cached = false, invalidates = false;
        foreach (var attribute in method.GetAttributes())
        {
            cached |= symbols.IsCached(attribute);
            invalidates |= symbols.IsInvalidatesCache(attribute);
        }

        return cached && invalidates;
    }

    /// <summary>True when the type, or an interface it inherits, declares an [InvalidatesCache] method that is decorated.</summary>
    private static bool WritesData(INamedTypeSymbol? type, CachingSymbols symbols)
    {
        if (type is null)
        {
            return false;
        }

        foreach (var candidate in System.Linq.Enumerable.Prepend(type.AllInterfaces, type))
        {
            foreach (var member in candidate.GetMembers())
            {
                if (member is IMethodSymbol candidateMethod && !HasBoth(candidateMethod, symbols))
                {
                    foreach (var attribute in candidateMethod.GetAttributes())
                    {
                        if (symbols.IsInvalidatesCache(attribute))
                        {
                            return true;
                        }
                    }
                }
            }
        }

        return false;
    }
}
