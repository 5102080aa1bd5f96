using GpuProxy.Data;

namespace GpuProxy.Services;

/// <summary>The GPU model catalog. Not annotated: its HTTP endpoint is cached by the response-caching middleware instead.</summary>
public interface IModelCatalog
{
    /// <summary>All models, optionally of one vendor.</summary>
    /// <param name="vendor">Vendor filter, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<GpuModel>> ListAsync(string? vendor, CancellationToken cancellationToken = default);
}
