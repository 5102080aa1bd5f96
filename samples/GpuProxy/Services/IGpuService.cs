using Caching;
using GpuProxy.Data;

namespace GpuProxy.Services;

/// <summary>
/// GPU instances. The attributes make the generated decorator cache single instances and drop one on its write. Lists are
/// cached as HTTP responses by the list endpoint, and a write drops only the lists that can hold the instance
/// (<see cref="InstanceCacheScopes"/>): the instance's region and model are known after the write, not from its arguments.
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
    Task<IReadOnlyList<GpuInstance>> ListAvailableAsync(string? region, string? model, CancellationToken cancellationToken = default);

    /// <summary>Creates an instance (status <c>available</c>).</summary>
    /// <param name="request">What to create.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<GpuInstance> CreateInstanceAsync(CreateInstanceRequest request, CancellationToken cancellationToken = default);

    /// <summary>Changes an instance; <see langword="null"/> when it does not exist.</summary>
    /// <param name="id">Instance id.</param>
    /// <param name="update">The changes.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [InvalidatesCache("gpu:instance:{id}")]
    Task<GpuInstance?> UpdateInstanceAsync(string id, UpdateInstanceRequest update, CancellationToken cancellationToken = default);
}
