namespace Caching;

/// <summary>
/// Invalidates cache entries after the method completes successfully. Each pattern is a key template in which
/// holes are filled from the arguments and <c>*</c> matches any text, such as <c>"user:{userId}:*"</c>.
/// </summary>
/// <param name="patterns">The invalidation patterns.</param>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class InvalidatesCacheAttribute(params string[] patterns) : Attribute
{
    /// <summary>The invalidation patterns.</summary>
    public string[] Patterns { get; } = patterns ?? [];

    /// <summary>Tag templates whose entries are removed as well.</summary>
    public string[]? Tags { get; set; }

    /// <summary>Invalidate before calling the method instead of after it succeeded.</summary>
    public bool BeforeInvocation { get; set; }
}
