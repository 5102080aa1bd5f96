namespace Caching;

/// <summary>A profile a method uses (registered by the generated <c>AddCachingDecorators</c>), checked at startup and on every reload.</summary>
internal sealed record RequiredCacheProfile(string Profile, string UsedBy)
{
    /// <summary>Throws, naming every missing profile and its users, when <paramref name="options"/> lacks one.</summary>
    public static void Check(MultiLayerCacheOptions options, IEnumerable<RequiredCacheProfile> required)
    {
        var missing = required
            .Where(r => !options.Profiles.ContainsKey(r.Profile))
            .GroupBy(r => r.Profile, StringComparer.OrdinalIgnoreCase)
            .Select(g => $"'{g.Key}' (used by {string.Join(", ", g.Select(r => r.UsedBy).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))})")
            .ToList();
        if (missing.Count > 0)
        {
            var known = options.Profiles.Count == 0 ? "none" : string.Join(", ", options.Profiles.Keys.Order(StringComparer.OrdinalIgnoreCase));
            throw new CacheConfigurationException(
                $"Cache profiles missing from configuration (Cache:Profiles:<name>): {string.Join("; ", missing)}. Profiles configured: {known}.");
        }
    }
}
