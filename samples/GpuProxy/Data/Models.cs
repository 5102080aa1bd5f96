namespace GpuProxy.Data;

/// <summary>A GPU instance offered (or rented) through the proxy.</summary>
/// <param name="Id">Instance id, such as <c>gpu-00042</c>.</param>
/// <param name="Name">Display name.</param>
/// <param name="ModelId">The GPU model (see <see cref="GpuModel"/>).</param>
/// <param name="Region">Data-centre region.</param>
/// <param name="Status"><c>available</c>, <c>running</c> or <c>stopped</c>.</param>
/// <param name="OwnerId">The renting user, if any.</param>
/// <param name="HourlyPrice">Price per hour in credits.</param>
/// <param name="UpdatedAt">Last change.</param>
public sealed record GpuInstance(string Id, string Name, string ModelId, string Region, string Status, string? OwnerId, decimal HourlyPrice, DateTimeOffset UpdatedAt);

/// <summary>A GPU model in the catalog.</summary>
/// <param name="Id">Model id, such as <c>h100-80gb</c>.</param>
/// <param name="Name">Marketing name.</param>
/// <param name="Vendor">Vendor.</param>
/// <param name="MemoryGb">Memory in GB.</param>
/// <param name="Fp16Tflops">Dense FP16 throughput.</param>
/// <param name="BaseHourlyPrice">List price per hour.</param>
public sealed record GpuModel(string Id, string Name, string Vendor, int MemoryGb, double Fp16Tflops, decimal BaseHourlyPrice);

/// <summary>A user's profile.</summary>
/// <param name="Id">User id, such as <c>user-0042</c>.</param>
/// <param name="DisplayName">Display name.</param>
/// <param name="Email">E-mail address.</param>
/// <param name="Plan"><c>free</c>, <c>pro</c> or <c>enterprise</c>.</param>
/// <param name="UpdatedAt">Last change.</param>
public sealed record UserProfile(string Id, string DisplayName, string Email, string Plan, DateTimeOffset UpdatedAt);

/// <summary>A user's credit balance.</summary>
/// <param name="UserId">User id.</param>
/// <param name="Credits">Remaining credits.</param>
/// <param name="AsOf">When the balance was read.</param>
public sealed record UserCredits(string UserId, decimal Credits, DateTimeOffset AsOf);

/// <summary>Body of <c>POST /api/gpu/instances</c>.</summary>
/// <param name="Name">Display name.</param>
/// <param name="ModelId">A model id from <c>/api/models</c>.</param>
/// <param name="Region">Region.</param>
/// <param name="HourlyPrice">Price per hour; the model's list price when absent.</param>
public sealed record CreateInstanceRequest(string Name, string ModelId, string Region, decimal? HourlyPrice = null);

/// <summary>Body of <c>PUT /api/gpu/instances/{id}</c>; absent fields keep their value.</summary>
/// <param name="Name">Display name.</param>
/// <param name="Status"><c>available</c>, <c>running</c> or <c>stopped</c>.</param>
/// <param name="OwnerId">The renting user; empty string to clear.</param>
/// <param name="HourlyPrice">Price per hour.</param>
public sealed record UpdateInstanceRequest(string? Name = null, string? Status = null, string? OwnerId = null, decimal? HourlyPrice = null);

/// <summary>Body of <c>PUT /api/users/{id}/profile</c>; absent fields keep their value.</summary>
/// <param name="DisplayName">Display name.</param>
/// <param name="Email">E-mail address.</param>
/// <param name="Plan">Plan.</param>
public sealed record ProfileUpdate(string? DisplayName = null, string? Email = null, string? Plan = null);
