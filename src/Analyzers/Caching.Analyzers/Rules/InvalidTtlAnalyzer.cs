using System;
using Caching.Analyzers.Infrastructure;
using Caching.Templates;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Caching.Analyzers.Rules;

/// <summary>
/// CACHE008: a TTL or other duration of <c>[Cached]</c> (factory timeouts, jitter) the runtime cannot parse, or an
/// eager-refresh threshold outside [0, 1) (errors); a LocalTtl longer than the RedisTtl (warning).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class InvalidTtlAnalyzer : MethodRuleAnalyzer
{
    private const string LocalTtl = "LocalTtl";
    private const string RedisTtl = "RedisTtl";
    private const string EagerRefreshThreshold = "EagerRefreshThreshold";

    // Durations of the resilience settings, parsed like the TTLs.
    private static readonly string[] OtherDurations = ["FactorySoftTimeout", "FactoryHardTimeout", "JitterMaxDuration"];

    /// <summary>Creates the rule.</summary>
    public InvalidTtlAnalyzer()
        : base(DiagnosticDescriptors.InvalidTtl)
    {
    }

    /// <inheritdoc/>
    private protected override bool AppliesTo(CachingSymbols symbols) => symbols.CachedAttribute is not null;

    /// <inheritdoc/>
    private protected override void AnalyzeMethod(SymbolAnalysisContext context, IMethodSymbol method, CachingSymbols symbols)
    {
        foreach (var attribute in method.GetAttributes())
        {
            if (!symbols.IsCached(attribute))
            {
                continue;
            }

            var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken) as AttributeSyntax;
            var local = Check(context, attribute, syntax, LocalTtl, method);
            var redis = Check(context, attribute, syntax, RedisTtl, method);
            foreach (var other in OtherDurations)
            {
                Check(context, attribute, syntax, other, method);
            }

            CheckThreshold(context, attribute, syntax, method);
            if (local is { } localTtl && redis is { } redisTtl && localTtl.Value > redisTtl.Value)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.InvalidTtl,
                    Location(syntax, LocalTtl, method),
                    DiagnosticSeverity.Warning,
                    additionalLocations: null,
                    properties: null,
                    LocalTtl,
                    TemplateText.Display(localTtl.Text),
                    SymbolNames.Method(method),
                    $"is longer than RedisTtl \"{TemplateText.Display(redisTtl.Text)}\": the in-process copy outlives the shared one, so nodes disagree once Redis has expired it"));
            }
        }
    }

    private static void CheckThreshold(SymbolAnalysisContext context, AttributeData attribute, AttributeSyntax? syntax, IMethodSymbol method)
    {
        foreach (var named in attribute.NamedArguments)
        {
            if (named.Key == EagerRefreshThreshold && named.Value.Value is double fraction && (fraction is < 0 or >= 1 || double.IsNaN(fraction)))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.InvalidTtl,
                    Location(syntax, EagerRefreshThreshold, method),
                    EagerRefreshThreshold,
                    fraction.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                    SymbolNames.Method(method),
                    "is not a fraction of the time to live: expected a number from 0 (no eager refresh) up to, not including, 1"));
            }
        }
    }

    private static (string Text, TimeSpan Value)? Check(SymbolAnalysisContext context, AttributeData attribute, AttributeSyntax? syntax, string name, IMethodSymbol method)
    {
        foreach (var named in attribute.NamedArguments)
        {
            if (named.Key != name || named.Value.Kind != TypedConstantKind.Primitive || named.Value.Value is not string text)
            {
                continue;
            }

            if (DurationText.TryParse(text, out var value))
            {
                return (text, value);
            }

            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.InvalidTtl,
                Location(syntax, name, method),
                name,
                TemplateText.Display(text),
                SymbolNames.Method(method),
                "is not a valid duration: expected " + DurationText.Expected));
        }

        return null;
    }

    private static Location Location(AttributeSyntax? syntax, string name, IMethodSymbol method) =>
        TemplateSites.NamedArgument(syntax, name)?.GetLocation()
        ?? syntax?.GetLocation()
        ?? (method.Locations.IsEmpty ? Microsoft.CodeAnalysis.Location.None : method.Locations[0]);
}
