using GpuProxy.Data;

namespace GpuProxy.Services;

/// <summary>Reads and writes users in SQLite, each call paying the configured source latency.</summary>
/// <param name="database">The database.</param>
/// <param name="latency">The simulated source latency.</param>
public sealed class UserService(GpuDatabase database, SourceLatency latency) : IUserService
{
    /// <summary>Plans a user can have.</summary>
    public static readonly IReadOnlyList<string> Plans = ["free", "pro", "enterprise"];

    /// <inheritdoc />
    public async Task<UserProfile?> GetProfileAsync(string userId, CancellationToken cancellationToken = default)
    {
        await latency.WaitAsync(cancellationToken).ConfigureAwait(false);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await ReadProfileAsync(connection, userId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<UserProfile?> UpdateProfileAsync(string userId, ProfileUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (update.Plan is not null && !Plans.Contains(update.Plan))
        {
            throw new ArgumentException($"Unknown plan '{update.Plan}'; expected one of {string.Join(", ", Plans)}.", nameof(update));
        }

        await latency.WaitAsync(cancellationToken).ConfigureAwait(false);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var changed = await GpuDatabase.ExecuteAsync(connection, null, """
                UPDATE users SET display_name = COALESCE($name, display_name), email = COALESCE($email, email),
                    plan = COALESCE($plan, plan), updated_at = $now
                WHERE id = $id
                """,
                cancellationToken,
                ("$name", update.DisplayName), ("$email", update.Email), ("$plan", update.Plan),
                ("$now", GpuDatabase.Timestamp(DateTimeOffset.UtcNow)), ("$id", userId)).ConfigureAwait(false);
            return changed == 0 ? null : await ReadProfileAsync(connection, userId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<UserCredits?> GetCreditsAsync(string userId, CancellationToken cancellationToken = default)
    {
        await latency.WaitAsync(cancellationToken).ConfigureAwait(false);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = "SELECT credits FROM users WHERE id = $id";
                command.Parameters.AddWithValue("$id", userId);
                var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                return value is null or DBNull
                    ? null
                    : new UserCredits(userId, Math.Round(Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture), 2), DateTimeOffset.UtcNow);
            }
        }
    }

    private static async Task<UserProfile?> ReadProfileAsync(Microsoft.Data.Sqlite.SqliteConnection connection, string userId, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = "SELECT id, display_name, email, plan, updated_at FROM users WHERE id = $id";
            command.Parameters.AddWithValue("$id", userId);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                    ? new UserProfile(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), GpuDatabase.ParseTimestamp(reader.GetString(4)))
                    : null;
            }
        }
    }
}
