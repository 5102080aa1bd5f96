using System.Collections.Generic;
using System.Collections.Immutable;
using Caching.Analyzers.Infrastructure;
using Caching.Templates;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Caching.Analyzers.Rules;

/// <summary>CACHE002: a parameter of a [Cached] method that the key does not use.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ParameterNotInKeyAnalyzer : MethodRuleAnalyzer
{
    /// <summary>The diagnostic property holding the parameter's name, for the code fixes.</summary>
    internal const string ParameterNameKey = "ParameterName";

    /// <summary>Creates the rule.</summary>
    public ParameterNotInKeyAnalyzer()
        : base(DiagnosticDescriptors.ParameterNotInKey)
    {
    }

    /// <inheritdoc/>
    private protected override void AnalyzeMethod(SymbolAnalysisContext context, IMethodSymbol method, CachingSymbols symbols)
    {
        if (method.Parameters.IsEmpty)
        {
            return;
        }

        var key = TemplateSites.FindKey(TemplateSites.Read(method, symbols, context.CancellationToken));
        if (key is null || HasUnreadableHoles(key.Template))
        {
            return;
        }

        var used = new HashSet<string>();
        List<string>? misspelled = null;
        foreach (var hole in key.Template.Holes)
        {
            var root = SymbolNames.Identifier(hole.RootName);
            used.Add(root);
            if (HoleResolution.FindParameter(method, root) is null)
            {
                (misspelled ??= new List<string>()).Add(root);
            }
        }

        // A misspelled hole ({usrId}) is one mistake: CACHE001 reports it and offers the parameter it most likely
        // means, so that parameter is not reported again as missing from the key.
        if (misspelled is not null)
        {
            var candidates = new List<string>();
            foreach (var parameter in method.Parameters)
            {
                if (!symbols.IsCancellationToken(parameter.Type))
                {
                    candidates.Add(parameter.Name);
                }
            }

            foreach (var root in misspelled)
            {
                if (NameSuggestion.Closest(root, candidates) is { } meant)
                {
                    used.Add(meant);
                }
            }
        }

        var additionalLocations = key.IsLiteral ? new[] { key.Location } : null;
        foreach (var parameter in method.Parameters)
        {
            // An unresolved type (a missing using while typing) is the compiler's error to report, not a key problem;
            // a by-reference, ref struct or pointer parameter makes the method uncacheable, which is CACHE006's report.
            if (used.Contains(parameter.Name)
                || parameter.Type.IsErrorType()
                || parameter.RefKind != RefKind.None
                || parameter.Type.IsRefLikeType
                || parameter.Type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer
                || symbols.IsCancellationToken(parameter.Type)
                || symbols.IsNotCacheKey(parameter)
                || parameter.Locations.IsEmpty
                || !parameter.Locations[0].IsInSource)
            {
                continue;
            }

            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.ParameterNotInKey,
                parameter.Locations[0],
                additionalLocations,
                ImmutableDictionary<string, string?>.Empty
                    .Add(ParameterNameKey, parameter.Name)
                    .Add(TemplateEdit.TemplateKey, key.Text),
                parameter.Name,
                key.MethodName,
                key.DisplayText));
        }
    }

    /// <summary>While braces are unbalanced (the user is typing) the set of holes is unknown: stay quiet.</summary>
    private static bool HasUnreadableHoles(KeyTemplate template)
    {
        foreach (var error in template.Errors)
        {
            switch (error.Kind)
            {
                case TemplateErrorKind.UnbalancedOpenBrace:
                case TemplateErrorKind.UnbalancedCloseBrace:
                case TemplateErrorKind.EmptyHole:
                case TemplateErrorKind.InvalidHoleName:
                    return true;
            }
        }

        return false;
    }
}
