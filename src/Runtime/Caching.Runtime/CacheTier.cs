namespace Caching;

/// <summary>Where a value came from.</summary>
public enum CacheTier
{
    /// <summary>Nowhere: a miss.</summary>
    None = 0,

    /// <summary>The in-process cache (L1).</summary>
    Local = 1,

    /// <summary>Redis (L2).</summary>
    Redis = 2,

    /// <summary>The source (the factory ran).</summary>
    Source = 3,
}
