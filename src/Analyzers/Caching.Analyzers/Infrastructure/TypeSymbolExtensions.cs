using Microsoft.CodeAnalysis;

namespace Caching.Analyzers.Infrastructure;

internal static class TypeSymbolExtensions
{
    public static bool IsErrorType(this ITypeSymbol type) => type.TypeKind == TypeKind.Error;
}
