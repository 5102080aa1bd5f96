using Caching.Generators.Helpers;

namespace Caching.Generators.Models;

/// <summary>What <c>[Cached]</c> asks for, resolved at compile time.</summary>
/// <param name="Sharing"><c>Share</c> or <c>Copy</c> (never Auto: the generator decides).</param>
/// <param name="SharingReason">Why, shown in a comment in the generated code.</param>
/// <param name="SchemaTag">A fingerprint of the value type's serialized shape, or null when it depends on a type parameter.</param>
/// <remarks>
/// <see cref="Method"/> is the name configuration knows the method by (<c>Cache:Methods:{Method}</c>): the declaring
/// interface's simple name (no namespace, no containing type, no type arguments) and the method's name. Overloads and
/// every closed form of a generic interface share it: an operator turns off "IRepository.GetAsync", not one arity of it.
/// </remarks>
internal sealed record CachedModel(
    TemplateModel Key,
    EquatableArray<TemplateModel> Tags,
    DurationModel? LocalTtl,
    DurationModel? RedisTtl,
    string? Profile,
    bool CacheNull,
    string Sharing,
    string SharingReason,
    string? SchemaTag,
    ResilienceModel Resilience)
{
    public string Method { get; init; } = string.Empty;

    /// <summary>The generated deep copy hits of a copied (mutable) value get, or null: they are deserialized.</summary>
    public CopierModel? Copier { get; init; }
}

/// <summary>The resilience settings of <c>[Cached]</c> (timeouts, eager refresh, jitter, the distributed lock); all optional.</summary>
internal sealed record ResilienceModel(DurationModel? SoftTimeout, DurationModel? HardTimeout, double EagerRefresh, DurationModel? Jitter, bool DistributedLock);

/// <summary>A TTL parsed at compile time.</summary>
internal sealed record DurationModel(long Ticks, string Text);
