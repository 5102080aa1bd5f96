namespace Caching.Generators;

/// <summary>
/// Metadata names of the runtime types the generator looks for or emits. They are strings on purpose: the
/// generator never references Caching.Runtime, so it loads into any compiler without the runtime's dependencies.
/// </summary>
internal static class TypeNames
{
    public const string CachedAttribute = "Caching.CachedAttribute";
    public const string InvalidatesCacheAttribute = "Caching.InvalidatesCacheAttribute";
    public const string NotCacheKeyAttribute = "Caching.NotCacheKeyAttribute";

    public const string MultiLayerCache = "global::Caching.IMultiLayerCache";
    public const string CacheEntryOptions = "global::Caching.CacheEntryOptions";
    public const string CacheKeyBuilder = "global::Caching.CacheKeyBuilder";
    public const string CacheKey = "global::Caching.CacheKey";
    public const string ValueSharing = "global::Caching.ValueSharing";
    public const string CacheValueCopier = "global::Caching.CacheValueCopier";

    public const string CancellationToken = "global::System.Threading.CancellationToken";
    public const string Task = "global::System.Threading.Tasks.Task";
    public const string ValueTask = "global::System.Threading.Tasks.ValueTask";
    public const string GeneratedCode = "global::System.CodeDom.Compiler.GeneratedCode";
}
