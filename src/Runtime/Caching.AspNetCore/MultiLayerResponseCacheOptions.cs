namespace Caching.AspNetCore;

/// <summary>Settings of the response-caching middleware (the per-endpoint settings are in <see cref="ResponseCachePolicy"/>).</summary>
public sealed class MultiLayerResponseCacheOptions
{
    /// <summary>
    /// Largest body that is buffered and stored; <see langword="null"/> (the default) takes the cache's
    /// <see cref="MultiLayerCacheOptions.MaxValueBytes"/> (1 MiB unless configured). A larger response is streamed through
    /// to the client as it is written, and not stored.
    /// </summary>
    public int? MaxValueBytes { get; set; }

    /// <summary>First segment of every response key (default <c>http</c>), so <c>http:*</c> addresses all cached responses.</summary>
    public string KeyPrefix { get; set; } = "http";
}
