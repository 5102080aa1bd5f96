namespace Caching.AspNetCore;

/// <summary>
/// A stored HTTP response: what a later request needs to be answered without the endpoint. Stored in Redis in its
/// own binary form (<see cref="CachedResponseSerializer"/>); never mutated after it is built, so L1 hits share the instance.
/// </summary>
/// <param name="StatusCode">The status code (2xx).</param>
/// <param name="Headers">The allow-listed response headers as name/value pairs: name at even, value at odd indexes.</param>
/// <param name="Body">The body bytes.</param>
/// <param name="ETag">The entity tag (the endpoint's own, or a hash of the body).</param>
/// <param name="StoredAtUnixMs">When the response was produced, for the <c>Age</c> header.</param>
[CacheSerializer(typeof(CachedResponseSerializer))]
internal sealed record CachedResponse(int StatusCode, string[] Headers, byte[] Body, string ETag, long StoredAtUnixMs)
{
    /// <summary>Bump when the shape or what is kept changes: entries of the old shape then read as clean misses (2: headers are allow-listed, so entries stored before are never replayed).</summary>
    public const string SchemaTag = "http-response-2";
}
