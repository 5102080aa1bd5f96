namespace Caching.Analyzers;

/// <summary>The diagnostic ids of every rule, and where each rule's documentation lives.</summary>
internal static class RuleIdentifiers
{
    public const string UnknownHole = "CACHE001";
    public const string ParameterNotInKey = "CACHE002";
    public const string MalformedTemplate = "CACHE003";
    public const string DeadInvalidation = "CACHE004";
    public const string CollidingKeys = "CACHE005";
    public const string UncacheableResult = "CACHE006";
    public const string UnstableKeyText = "CACHE007";
    public const string InvalidTtl = "CACHE008";
    public const string IneffectiveAttribute = "CACHE009";
    public const string InconsistentSegmentCase = "CACHE010";
    public const string NeverInvalidated = "CACHE011";
    public const string HoleMatchesLiteral = "CACHE012";
    public const string ScannedPattern = "CACHE013";

    // The documentation pages are docs/rules/CACHEnnn.md in the repository; a test keeps the two in step.
    public const string HelpLinkBase = "https://github.com/caching-generators/Caching.Generators/blob/main/docs/rules/";

    public static string GetHelpUri(string id) => HelpLinkBase + id + ".md";
}
