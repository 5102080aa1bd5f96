namespace Caching;

/// <summary>Names that <c>Cache:Methods</c> entries may use, declared with <c>AddCachedMethods</c> (the generated registration does).</summary>
internal sealed record CachedMethodNames(string[] Names)
{
    /// <summary>The configured entries that no declared name matches; none when nothing was declared.</summary>
    public static List<string> Unknown(MultiLayerCacheOptions options, IEnumerable<CachedMethodNames> declared)
    {
        var known = new HashSet<string>(declared.SelectMany(d => d.Names), StringComparer.OrdinalIgnoreCase);
        return known.Count == 0
            ? []
            : options.Methods.Keys.Where(name => !known.Contains(name)).Order(StringComparer.OrdinalIgnoreCase).ToList();
    }
}
