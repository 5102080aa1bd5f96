namespace Caching.Internal;

/// <summary>
/// Implemented by a <c>GetOrSetAsync</c> state that needs to know where its value came from (the HTTP middleware's
/// <c>X-Cache</c>): told the tier when the call leaves the L1 fast path, so its default is <see cref="CacheTier.Local"/>.
/// A hook on the state rather than another public overload: the public API stays one shape, and a caller whose state
/// is not an observer pays one type check on the miss path only.
/// </summary>
internal interface ITierObserver
{
    /// <summary>Called once per call that went past L1: Redis, the source (own or shared run), or L1 filled meanwhile.</summary>
    void Served(CacheTier tier);
}
