using Caching;
using GpuProxy.Data;

namespace GpuProxy.Services;

/// <summary>
/// GPU instances. The attributes make the generated decorator cache reads and invalidate on writes. Only the lists carry
/// the <c>gpu:instances</c> tag (shared with the HTTP-cached list endpoint): a write drops every list, but only its own instance.
/// </summary>
public interface IGpuService
{
    /// <summary>One instance, or <see langword="null"/> when it does not exist.</summary>
    /// <param name="id">Instance id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Cached("gpu:instance:{id}", LocalTtl = "30s", RedisTtl = "5m")]
    Task<GpuInstance?> GetInstanceAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Instances with status <c>available</c>, optionally in one region and of one model, cheapest first.</summary>
    /// <param name="region">Region filter, or <see langword="null"/> for all.</param>
    /// <param name="model">Model filter, or <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Cached("gpu:available:{region}:{model}", LocalTtl = "10s", RedisTtl = "1m", Tags = ["gpu:instances"])]
    Task<IReadOnlyList<GpuInstance>> ListAvailableAsync(string? region, string? model, CancellationToken cancellationToken = default);

    /// <summary>Creates an instance (status <c>available</c>).</summary>
    /// <param name="request">What to create.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [InvalidatesCache("gpu:available:*", Tags = ["gpu:instances"])]
    Task<GpuInstance> CreateInstanceAsync(CreateInstanceRequest request, CancellationToken cancellationToken = default);

    /// <summary>Changes an instance; <see langword="null"/> when it does not exist.</summary>
    /// <param name="id">Instance id.</param>
    /// <param name="update">The changes.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [InvalidatesCache("gpu:instance:{id}", "gpu:available:*", Tags = ["gpu:instances"])]
    Task<GpuInstance?> UpdateInstanceAsync(string id, UpdateInstanceRequest update, CancellationToken cancellationToken = default);
}
