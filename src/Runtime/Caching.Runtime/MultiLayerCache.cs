namespace Caching;

/// <summary>Placeholder replaced by the two-tier implementation.</summary>
public sealed partial class MultiLayerCache
{
}
