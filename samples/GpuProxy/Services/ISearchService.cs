using GpuProxy.Data;

namespace GpuProxy.Services;

/// <summary>The seed's search: instances whose name or model contains a text, optionally in one region.</summary>
public interface ISearchService
{
    /// <summary>Available instances matching <paramref name="query"/>, cheapest first (at most 50).</summary>
    /// <param name="query">Text to look for in the name or model id (case-insensitive).</param>
    /// <param name="region">Region filter, or <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels this caller's wait.</param>
    ValueTask<IReadOnlyList<GpuInstance>> SearchAsync(string query, string? region, CancellationToken cancellationToken = default);
}
