using Caching.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Caching.Analyzers.Rules;

/// <summary>CACHE006: a [Cached] method whose result cannot be stored and replayed.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UncacheableResultAnalyzer : MethodRuleAnalyzer
{
    /// <summary>Creates the rule.</summary>
    public UncacheableResultAnalyzer()
        : base(DiagnosticDescriptors.UncacheableResult)
    {
    }

    /// <inheritdoc/>
    private protected override bool AppliesTo(CachingSymbols symbols) => symbols.CachedAttribute is not null;

    /// <inheritdoc/>
    private protected override void AnalyzeMethod(SymbolAnalysisContext context, IMethodSymbol method, CachingSymbols symbols)
    {
        if (!HasCached(method, symbols))
        {
            return;
        }

        var reason = ResultProblem(method, symbols);
        if (reason is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.UncacheableResult,
                ReturnTypeLocation(method, context),
                SymbolNames.Method(method),
                reason));
        }

        foreach (var parameter in method.Parameters)
        {
            var problem = ParameterProblem(parameter);
            if (problem is not null && !parameter.Locations.IsEmpty)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.UncacheableResult,
                    parameter.Locations[0],
                    SymbolNames.Method(method),
                    problem));
            }
        }
    }

    private static string? ParameterProblem(IParameterSymbol parameter)
    {
        if (parameter.RefKind != RefKind.None)
        {
            var modifier = parameter.RefKind switch
            {
                RefKind.Out => "out",
                RefKind.In => "in",
                RefKind.Ref => "ref",
                _ => "ref readonly",
            };
            return $"parameter '{parameter.Name}' is passed by reference ('{modifier}'), and a cached call cannot write it back or read it later";
        }

        // The decorator hands the arguments to a load that may run later, on another thread: a ref struct or a
        // pointer cannot go with it.
        if (parameter.Type.IsRefLikeType || parameter.Type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer)
        {
            return $"parameter '{parameter.Name}' is a {(parameter.Type.IsRefLikeType ? "ref struct" : "pointer")} ('{SymbolNames.Type(parameter.Type)}'), which the cached load cannot capture";
        }

        return null;
    }

    private static bool HasCached(IMethodSymbol method, CachingSymbols symbols)
    {
        foreach (var attribute in method.GetAttributes())
        {
            if (symbols.IsCached(attribute))
            {
                return true;
            }
        }

        return false;
    }

    private static string? ResultProblem(IMethodSymbol method, CachingSymbols symbols)
    {
        if (method.ReturnsVoid)
        {
            return "it returns void, so there is no result to cache";
        }

        var returnType = method.ReturnType;
        if (returnType.TypeKind == TypeKind.Error)
        {
            return null;
        }

        if (SymbolEqualityComparer.Default.Equals(returnType, symbols.Task) || SymbolEqualityComparer.Default.Equals(returnType, symbols.ValueTask))
        {
            return $"it returns '{SymbolNames.Type(returnType)}' without a result, so there is nothing to cache";
        }

        if (method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            return "it returns by reference, and a cached copy cannot alias the caller's storage";
        }

        var value = symbols.CachedValueType(method);
        if (value.IsRefLikeType)
        {
            return $"'{SymbolNames.Type(value)}' is a ref struct, which cannot be stored on the heap";
        }

        if (value.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer)
        {
            return $"'{SymbolNames.Type(value)}' is a pointer, which means nothing once the call has returned";
        }

        if (value is INamedTypeSymbol named && symbols.AsyncEnumerableOfT is not null
            && SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, symbols.AsyncEnumerableOfT))
        {
            return $"'{SymbolNames.Type(value)}' is a lazy asynchronous stream; cache a materialized list instead";
        }

        if (symbols.Stream is not null && InheritsFrom(value, symbols.Stream))
        {
            return $"'{SymbolNames.Type(value)}' is a Stream, which can be read once and holds resources; cache its bytes instead";
        }

        return null;
    }

    private static bool InheritsFrom(ITypeSymbol type, INamedTypeSymbol baseType)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, baseType))
            {
                return true;
            }
        }

        return false;
    }

    private static Location ReturnTypeLocation(IMethodSymbol method, SymbolAnalysisContext context)
    {
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(context.CancellationToken) is MethodDeclarationSyntax declaration)
            {
                return declaration.ReturnType.GetLocation();
            }
        }

        return method.Locations.IsEmpty ? Location.None : method.Locations[0];
    }
}
