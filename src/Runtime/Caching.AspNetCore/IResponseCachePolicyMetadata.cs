namespace Caching.AspNetCore;

/// <summary>Endpoint metadata that turns on response caching for the endpoint.</summary>
public interface IResponseCachePolicyMetadata
{
    /// <summary>The endpoint's policy.</summary>
    ResponseCachePolicy Policy { get; }
}
