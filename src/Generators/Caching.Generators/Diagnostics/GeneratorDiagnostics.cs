using Microsoft.CodeAnalysis;

namespace Caching.Generators.Diagnostics;

/// <summary>
/// The generator's own diagnostics, kept to two: most user mistakes are the analyzers' job (CACHE001-CACHE011).
/// These say that the generator fell back to plain forwarding, so caching is silently not happening otherwise.
/// </summary>
internal static class GeneratorDiagnostics
{
    private const string Category = "Caching.Generator";

    public static readonly DiagnosticDescriptor MethodNotDecorated = new(
        id: "CACHEGEN001",
        title: "Annotated method is forwarded without caching",
        messageFormat: "'{0}' is forwarded to the inner service without caching or invalidation: {1}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "The generator could not produce caching code for this method, so the decorator only forwards the call.");

    public static readonly DiagnosticDescriptor InterfaceNotDecorated = new(
        id: "CACHEGEN002",
        title: "Annotated interface gets no caching decorator",
        messageFormat: "No caching decorator is generated for '{0}': {1}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "The generator cannot write a class implementing this interface, so its [Cached] and [InvalidatesCache] attributes have no effect.");
}
