using Microsoft.CodeAnalysis;

namespace Caching.Analyzers;

/// <summary>Every diagnostic the analyzers report. Messages name the template, the symbols and the exact problem.</summary>
internal static class DiagnosticDescriptors
{
    private const string Correctness = "Correctness";
    private const string Usage = "Usage";
    private const string Maintainability = "Maintainability";
    private const string Performance = "Performance";

    public static readonly DiagnosticDescriptor UnknownHole = new(
        RuleIdentifiers.UnknownHole,
        title: "Template hole does not name a parameter",
        messageFormat: "The hole '{{{0}}}' in {1} \"{2}\" on '{3}' {4}",
        category: Correctness,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Every hole in a [Cached] key, an [InvalidatesCache] pattern or a tag must name a parameter of the method, optionally followed by a path of readable members of that parameter's type.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.UnknownHole));

    public static readonly DiagnosticDescriptor ParameterNotInKey = new(
        RuleIdentifiers.ParameterNotInKey,
        title: "Parameter is not part of the cache key",
        messageFormat: "Parameter '{0}' of '{1}' is not in the cache key \"{2}\": calls that differ only in '{0}' share one cache entry",
        category: Correctness,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Each parameter of a [Cached] method should appear in the key template, unless it is a CancellationToken or is marked [NotCacheKey]; otherwise different arguments read each other's cached result.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.ParameterNotInKey));

    public static readonly DiagnosticDescriptor MalformedTemplate = new(
        RuleIdentifiers.MalformedTemplate,
        title: "Malformed key template",
        messageFormat: "The {0} \"{1}\" on '{2}' is malformed: {3}",
        category: Correctness,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Templates must have balanced, non-empty holes, no empty segments, a literal between any two holes, no wildcard in a [Cached] key, and no whitespace, control or reserved characters.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.MalformedTemplate));

    public static readonly DiagnosticDescriptor DeadInvalidation = new(
        RuleIdentifiers.DeadInvalidation,
        title: "Invalidation pattern matches no cached key",
        messageFormat: "The pattern \"{0}\" on '{1}' can match no [Cached] key template in the compilation, so it invalidates nothing",
        category: Correctness,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "An [InvalidatesCache] pattern that no [Cached] key template can produce a match for is dead: the update it belongs to leaves the stale entries in place.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.DeadInvalidation));

    public static readonly DiagnosticDescriptor CollidingKeys = new(
        RuleIdentifiers.CollidingKeys,
        title: "Two cache keys of different types can collide",
        messageFormat: "The key \"{0}\" on '{1}' (caches '{2}') can produce the same key as \"{3}\" on '{4}' (caches '{5}')",
        category: Correctness,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Two [Cached] templates that can produce the same concrete key while caching different types overwrite each other's entries; one of the methods then reads a value of the wrong type.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.CollidingKeys));

    public static readonly DiagnosticDescriptor UncacheableResult = new(
        RuleIdentifiers.UncacheableResult,
        title: "Method result cannot be cached",
        messageFormat: "'{0}' cannot be cached: {1}",
        category: Correctness,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A [Cached] method must return a value that can be stored and replayed: not void, Task or ValueTask, not a stream, a ref struct or a pointer, and without ref, out, in, ref struct or pointer parameters.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.UncacheableResult));

    public static readonly DiagnosticDescriptor UnstableKeyText = new(
        RuleIdentifiers.UnstableKeyText,
        title: "Key value has no stable text form",
        messageFormat: "The hole '{{{0}}}' in \"{1}\" on '{2}' has type '{3}', which has no stable, culture-invariant text form: every value would map to one key",
        category: Correctness,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A key value is written as text. Types without a ToString override that are not primitives, enums, Guid, dates, IFormattable or supported collections all format as their type name.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.UnstableKeyText));

    // One id, two severities: a TTL that does not parse is an error (the descriptor's default); a LocalTtl longer
    // than the RedisTtl is reported with an effective severity of Warning. Release tracking allows one severity per id.
    public static readonly DiagnosticDescriptor InvalidTtl = new(
        RuleIdentifiers.InvalidTtl,
        title: "Invalid or inconsistent cache TTL",
        messageFormat: "{0} \"{1}\" on '{2}' {3}",
        category: Correctness,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "LocalTtl and RedisTtl accept \"500ms\", \"30s\", \"5m\", \"1h\", \"1d\" or \"hh:mm:ss\", and LocalTtl should not be longer than RedisTtl.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.InvalidTtl));

    public static readonly DiagnosticDescriptor IneffectiveAttribute = new(
        RuleIdentifiers.IneffectiveAttribute,
        title: "Caching attribute has no effect here",
        messageFormat: "[{0}] on '{1}' has no effect: {2}",
        category: Usage,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "The generator decorates instance methods of interfaces. The attribute on a class method that no annotated interface method leads to, on a static method, on a property accessor, or on a method that has both [Cached] and [InvalidatesCache] is ignored.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.IneffectiveAttribute));

    public static readonly DiagnosticDescriptor InconsistentSegmentCase = new(
        RuleIdentifiers.InconsistentSegmentCase,
        title: "Key segment spelled with different letter case",
        messageFormat: "Segment '{0}' (position {1}) of \"{2}\" on '{3}' is spelled '{4}' in {5} other template(s): keys are case-sensitive, so patterns and keys spelled differently never meet",
        category: Maintainability,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "The same literal segment at the same position should be spelled the same way in every template of the compilation.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.InconsistentSegmentCase));

    // One id, two severities, as CACHE008: a key of an interface that invalidates other keys is reported as a warning
    // (the descriptor's default); a key of a read-only interface, which may rely on its TTL by design, with an
    // effective severity of Info.
    public static readonly DiagnosticDescriptor NeverInvalidated = new(
        RuleIdentifiers.NeverInvalidated,
        title: "Cached key is never invalidated",
        messageFormat: "No [InvalidatesCache] pattern or tag in the compilation matches the key \"{0}\" on '{1}': its entries change only when their TTL expires",
        category: Maintainability,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A [Cached] template that no invalidation pattern or tag can reach serves stale data until its TTL expires after the source changes. It is a warning when the interface invalidates other keys (this one was probably forgotten), information when the interface writes nothing.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.NeverInvalidated));

    public static readonly DiagnosticDescriptor HoleMatchesLiteral = new(
        RuleIdentifiers.HoleMatchesLiteral,
        title: "Invalidation pattern reaches a key only through a hole standing for a literal",
        messageFormat: "The pattern \"{0}\" on '{1}' matches no cached key except when its hole '{{{2}}}' equals the literal segment '{3}' of \"{4}\" on '{5}': it most likely means a key that does not exist",
        category: Correctness,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "An [InvalidatesCache] pattern whose only way to match any [Cached] key of the compilation is for one of its holes to take the value of a literal segment of that key is almost always a misspelled prefix: the invalidation runs with real argument values and removes nothing.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.HoleMatchesLiteral));

    public static readonly DiagnosticDescriptor ScannedPattern = new(
        RuleIdentifiers.ScannedPattern,
        title: "Invalidation pattern cannot be indexed and SCANs Redis",
        messageFormat: "The pattern \"{0}\" on '{1}' cannot be indexed ({2}), so each call SCANs every Redis primary: its cost grows with the number of keys in Redis",
        category: Performance,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Every [InvalidatesCache] pattern is indexed by the generated registration, so invalidating it is one mark in Redis whatever its size, unless the pattern uses '?' or puts a hole or a wildcard right beside a '*'. Such a pattern falls back to a SCAN of the whole key space on every primary.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.ScannedPattern));
}
