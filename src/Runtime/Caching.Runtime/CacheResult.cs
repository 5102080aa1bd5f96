namespace Caching;

/// <summary>The outcome of <see cref="IMultiLayerCache.GetAsync{T}"/>: whether the key was found, its value, and which tier answered.</summary>
/// <typeparam name="T">The value type.</typeparam>
/// <param name="Found">True when the key was in the cache.</param>
/// <param name="Value">The cached value (default when not found).</param>
/// <param name="Tier">The tier that answered (<see cref="CacheTier.None"/> on a miss).</param>
public readonly record struct CacheResult<T>(bool Found, T? Value, CacheTier Tier = CacheTier.None);
