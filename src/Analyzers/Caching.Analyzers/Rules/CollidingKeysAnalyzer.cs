using System.Collections.Generic;
using System.Collections.Immutable;
using Caching.Analyzers.Infrastructure;
using Caching.Templates;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Caching.Analyzers.Rules;

/// <summary>CACHE005: two [Cached] key templates that can produce one key while caching different types.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CollidingKeysAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.CollidingKeys);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var templates = CompilationTemplates.Register(start);
            if (templates is not null)
            {
                start.RegisterCompilationEndAction(end => Report(end, templates));
            }
        });
    }

    private static void Report(CompilationAnalysisContext context, CompilationTemplates templates)
    {
        var keys = new List<(TemplateSite Site, ITypeSymbol Type)>();
        foreach (var key in templates.Keys())
        {
            var type = templates.Symbols.CachedValueType(key.Method);

            // A type parameter's argument is chosen by the caller (and the generator may prefix keys with it):
            // whether two such keys collide is not known at compile time.
            if (!type.IsErrorType() && !ContainsTypeParameter(type))
            {
                keys.Add((key, type));
            }
        }

        for (var i = 0; i < keys.Count; i++)
        {
            for (var j = i + 1; j < keys.Count; j++)
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                var (first, firstType) = keys[i];
                var (second, secondType) = keys[j];
                if (SymbolEqualityComparer.Default.Equals(firstType, secondType)
                    || !TemplateOverlap.CanOverlap(first.Template, second.Template))
                {
                    continue;
                }

                Report(context, first, firstType, second, secondType);
                Report(context, second, secondType, first, firstType);
            }
        }
    }

    private static void Report(CompilationAnalysisContext context, TemplateSite site, ITypeSymbol type, TemplateSite other, ITypeSymbol otherType) =>
        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.CollidingKeys,
            site.Location,
            new[] { other.Location },
            site.DisplayText,
            site.MethodName,
            SymbolNames.Type(type),
            other.DisplayText,
            other.MethodName,
            SymbolNames.Type(otherType)));

    private static bool ContainsTypeParameter(ITypeSymbol type) => type switch
    {
        ITypeParameterSymbol => true,
        IArrayTypeSymbol array => ContainsTypeParameter(array.ElementType),
        INamedTypeSymbol named => AnyTypeParameter(named.TypeArguments),
        _ => false,
    };

    private static bool AnyTypeParameter(ImmutableArray<ITypeSymbol> types)
    {
        foreach (var type in types)
        {
            if (ContainsTypeParameter(type))
            {
                return true;
            }
        }

        return false;
    }
}
