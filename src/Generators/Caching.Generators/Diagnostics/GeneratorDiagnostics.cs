using Microsoft.CodeAnalysis;

namespace Caching.Generators.Diagnostics;

/// <summary>
/// The generator's own diagnostics, kept to two: user mistakes are the analyzers' job (CACHE001-CACHE012), and a
/// method forwarded for a mistake an analyzer reports on the same source gets no second diagnostic from here.
/// These say that the generator fell back to plain forwarding for a reason no analyzer reports.
/// </summary>
internal static class GeneratorDiagnostics
{
    private const string Category = "Caching.Generator";

    // The same documentation folder as the analyzers' rules: docs/rules/CACHEGENnnn.md; a test keeps them in step.
    public const string HelpLinkBase = "https://github.com/caching-generators/Caching.Generators/blob/main/docs/rules/";

    public static readonly DiagnosticDescriptor MethodNotDecorated = new(
        id: "CACHEGEN001",
        title: "Annotated method is forwarded without caching",
        messageFormat: "'{0}' is forwarded to the inner service without caching or invalidation: {1}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "The generator could not produce caching code for this method, so the decorator only forwards the call.",
        helpLinkUri: HelpLinkBase + "CACHEGEN001.md");

    public static readonly DiagnosticDescriptor InterfaceNotDecorated = new(
        id: "CACHEGEN002",
        title: "Annotated interface gets no caching decorator",
        messageFormat: "No caching decorator is generated for '{0}': {1}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "The generator cannot write a class implementing this interface, so its [Cached] and [InvalidatesCache] attributes have no effect.",
        helpLinkUri: HelpLinkBase + "CACHEGEN002.md");
}
