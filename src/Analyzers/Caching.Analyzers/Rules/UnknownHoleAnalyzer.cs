using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using Caching.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Caching.Analyzers.Rules;

/// <summary>CACHE001: a hole that names no parameter, or a member path that does not exist.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnknownHoleAnalyzer : MethodRuleAnalyzer
{
    /// <summary>Creates the rule.</summary>
    public UnknownHoleAnalyzer()
        : base(DiagnosticDescriptors.UnknownHole)
    {
    }

    /// <inheritdoc/>
    private protected override void AnalyzeMethod(SymbolAnalysisContext context, IMethodSymbol method, CachingSymbols symbols)
    {
        foreach (var site in TemplateSites.Read(method, symbols, context.CancellationToken))
        {
            foreach (var hole in site.Template.Holes)
            {
                var resolution = HoleResolution.Resolve(method, hole, context.Compilation);
                if (resolution.IsResolved)
                {
                    continue;
                }

                var (problem, replacement) = Describe(method, hole.Text, resolution, context.Compilation, symbols);
                var properties = ImmutableDictionary<string, string?>.Empty;
                if (replacement is not null)
                {
                    properties = TemplateEdit.Properties(site.Text, hole.Start, hole.Length, "{" + replacement + "}");
                }

                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.UnknownHole,
                    site.GetLocation(hole.Start, hole.Length),
                    properties,
                    hole.Text,
                    site.RoleName,
                    site.DisplayText,
                    site.MethodName,
                    problem));
            }
        }
    }

    private static (string Problem, string? Replacement) Describe(IMethodSymbol method, string path, HoleResolution resolution, Compilation compilation, CachingSymbols symbols)
    {
        var names = path.Split('.');
        if (resolution.Parameter is null)
        {
            var root = SymbolNames.Identifier(names[0]);
            var candidates = new List<string>();
            foreach (var parameter in method.Parameters)
            {
                if (!symbols.IsCancellationToken(parameter.Type))
                {
                    candidates.Add(parameter.Name);
                }
            }

            var suggestion = NameSuggestion.Closest(root, candidates);
            if (suggestion is null)
            {
                return ($"does not name a parameter: '{method.Name}' has no parameter to build the value from", null);
            }

            names[0] = suggestion;
            return ($"does not name a parameter: did you mean '{suggestion}'?", string.Join(".", names));
        }

        var index = resolution.FailedIndex;
        var owner = resolution.FailedOn!;
        var missing = SymbolNames.Identifier(names[index]);
        var memberSuggestion = NameSuggestion.Closest(missing, HoleResolution.MemberNames(owner, compilation));
        var prefix = string.Join(".", names, 0, index);
        var problem = string.Format(
            CultureInfo.InvariantCulture,
            "refers to '{0}', but '{1}' (the type of '{2}') has no readable instance member '{0}'",
            missing,
            SymbolNames.Type(owner),
            prefix);
        if (memberSuggestion is null)
        {
            return (problem, null);
        }

        names[index] = memberSuggestion;
        return ($"{problem}: did you mean '{memberSuggestion}'?", string.Join(".", names));
    }
}
