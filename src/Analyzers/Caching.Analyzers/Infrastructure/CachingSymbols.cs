using Microsoft.CodeAnalysis;

namespace Caching.Analyzers.Infrastructure;

/// <summary>The types the rules look for, resolved once per compilation.</summary>
internal sealed class CachingSymbols
{
    private CachingSymbols(Compilation compilation, INamedTypeSymbol? cached, INamedTypeSymbol? invalidates)
    {
        Compilation = compilation;
        CachedAttribute = cached;
        InvalidatesCacheAttribute = invalidates;
        NotCacheKeyAttribute = compilation.GetTypeByMetadataName("Caching.NotCacheKeyAttribute");
        CancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        TaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        ValueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
        ValueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
        AsyncEnumerableOfT = compilation.GetTypeByMetadataName("System.Collections.Generic.IAsyncEnumerable`1");
        Stream = compilation.GetTypeByMetadataName("System.IO.Stream");
        Formattable = compilation.GetTypeByMetadataName("System.IFormattable");
        SpanFormattable = compilation.GetTypeByMetadataName("System.ISpanFormattable");
        EnumerableOfT = compilation.GetSpecialType(SpecialType.System_Collections_Generic_IEnumerable_T);
        Guid = compilation.GetTypeByMetadataName("System.Guid");
        DateTimeOffset = compilation.GetTypeByMetadataName("System.DateTimeOffset");
        DateOnly = compilation.GetTypeByMetadataName("System.DateOnly");
        TimeOnly = compilation.GetTypeByMetadataName("System.TimeOnly");
        TimeSpan = compilation.GetTypeByMetadataName("System.TimeSpan");
    }

    public Compilation Compilation { get; }

    public INamedTypeSymbol? CachedAttribute { get; }

    public INamedTypeSymbol? InvalidatesCacheAttribute { get; }

    public INamedTypeSymbol? NotCacheKeyAttribute { get; }

    public INamedTypeSymbol? CancellationToken { get; }

    public INamedTypeSymbol? Task { get; }

    public INamedTypeSymbol? TaskOfT { get; }

    public INamedTypeSymbol? ValueTask { get; }

    public INamedTypeSymbol? ValueTaskOfT { get; }

    public INamedTypeSymbol? AsyncEnumerableOfT { get; }

    public INamedTypeSymbol? Stream { get; }

    public INamedTypeSymbol? Formattable { get; }

    public INamedTypeSymbol? SpanFormattable { get; }

    public INamedTypeSymbol EnumerableOfT { get; }

    public INamedTypeSymbol? Guid { get; }

    public INamedTypeSymbol? DateTimeOffset { get; }

    public INamedTypeSymbol? DateOnly { get; }

    public INamedTypeSymbol? TimeOnly { get; }

    public INamedTypeSymbol? TimeSpan { get; }

    /// <summary>Null when the compilation does not reference the caching attributes: the rules then have nothing to do.</summary>
    public static CachingSymbols? TryCreate(Compilation compilation)
    {
        var cached = compilation.GetTypeByMetadataName("Caching.CachedAttribute");
        var invalidates = compilation.GetTypeByMetadataName("Caching.InvalidatesCacheAttribute");
        return cached is null && invalidates is null ? null : new CachingSymbols(compilation, cached, invalidates);
    }

    public bool IsCached(AttributeData attribute) =>
        CachedAttribute is not null && SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, CachedAttribute);

    public bool IsInvalidatesCache(AttributeData attribute) =>
        InvalidatesCacheAttribute is not null && SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, InvalidatesCacheAttribute);

    public bool IsCachingAttribute(AttributeData attribute) => IsCached(attribute) || IsInvalidatesCache(attribute);

    public bool IsCancellationToken(ITypeSymbol type) =>
        CancellationToken is not null && SymbolEqualityComparer.Default.Equals(type, CancellationToken);

    public bool IsNotCacheKey(IParameterSymbol parameter)
    {
        if (NotCacheKeyAttribute is null)
        {
            return false;
        }

        foreach (var attribute in parameter.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, NotCacheKeyAttribute))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The type a method's result is cached as: <c>T</c> for <c>Task&lt;T&gt;</c>/<c>ValueTask&lt;T&gt;</c>, else the return type.</summary>
    public ITypeSymbol CachedValueType(IMethodSymbol method)
    {
        var returnType = method.ReturnType;
        if (returnType is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named
            && (SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, TaskOfT)
                || SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, ValueTaskOfT)))
        {
            return named.TypeArguments[0];
        }

        return returnType;
    }
}
