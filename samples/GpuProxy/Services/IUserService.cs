using Caching;
using GpuProxy.Data;

namespace GpuProxy.Services;

/// <summary>User profiles and credits, cached per user and invalidated per user.</summary>
public interface IUserService
{
    /// <summary>A user's profile, or <see langword="null"/> when the user does not exist.</summary>
    /// <param name="userId">User id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Cached("user:{userId}:profile", LocalTtl = "1m", RedisTtl = "10m")]
    Task<UserProfile?> GetProfileAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Changes a user's profile; <see langword="null"/> when the user does not exist.</summary>
    /// <param name="userId">User id.</param>
    /// <param name="update">The changes.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [InvalidatesCache("user:{userId}:*")]
    Task<UserProfile?> UpdateProfileAsync(string userId, ProfileUpdate update, CancellationToken cancellationToken = default);

    /// <summary>A user's credit balance (short TTL: it changes as instances run).</summary>
    /// <param name="userId">User id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Cached("user:{userId}:credits", LocalTtl = "5s", RedisTtl = "30s")]
    Task<UserCredits?> GetCreditsAsync(string userId, CancellationToken cancellationToken = default);
}
