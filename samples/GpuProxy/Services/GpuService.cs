using GpuProxy.Data;
using Microsoft.Data.Sqlite;

namespace GpuProxy.Services;

/// <summary>Reads and writes GPU instances in SQLite, each call paying the configured source latency.</summary>
/// <param name="database">The database.</param>
/// <param name="latency">The simulated source latency.</param>
public sealed class GpuService(GpuDatabase database, SourceLatency latency) : IGpuService
{
    internal const string Columns = "id, name, model_id, region, status, owner_id, hourly_price, updated_at";

    /// <summary>Statuses an instance can have.</summary>
    public static readonly IReadOnlyList<string> Statuses = ["available", "running", "stopped"];

    /// <inheritdoc />
    public async Task<GpuInstance?> GetInstanceAsync(string id, CancellationToken cancellationToken = default)
    {
        await latency.WaitAsync(cancellationToken).ConfigureAwait(false);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await ReadOneAsync(connection, id, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<GpuInstance>> ListAvailableAsync(string? region, string? model, CancellationToken cancellationToken = default)
    {
        await latency.WaitAsync(cancellationToken).ConfigureAwait(false);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = $"""
                    SELECT {Columns} FROM gpu_instances
                    WHERE status = 'available' AND ($region IS NULL OR region = $region) AND ($model IS NULL OR model_id = $model)
                    ORDER BY hourly_price, id
                    """;
                command.Parameters.AddWithValue("$region", (object?)region ?? DBNull.Value);
                command.Parameters.AddWithValue("$model", (object?)model ?? DBNull.Value);
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    var list = new List<GpuInstance>();
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        list.Add(Read(reader));
                    }

                    return list;
                }
            }
        }
    }

    /// <inheritdoc />
    public async Task<GpuInstance> CreateInstanceAsync(CreateInstanceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await latency.WaitAsync(cancellationToken).ConfigureAwait(false);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var id = "gpu-" + Guid.NewGuid().ToString("N")[..10];
            var inserted = await GpuDatabase.ExecuteAsync(connection, null, $"""
                INSERT INTO gpu_instances ({Columns})
                SELECT $id, $name, m.id, $region, 'available', NULL, COALESCE($price, m.base_hourly_price), $now
                FROM gpu_models m WHERE m.id = $model
                """,
                cancellationToken,
                ("$id", id), ("$name", request.Name), ("$region", request.Region), ("$price", request.HourlyPrice is { } p ? (double)p : null),
                ("$now", GpuDatabase.Timestamp(DateTimeOffset.UtcNow)), ("$model", request.ModelId)).ConfigureAwait(false);
            if (inserted == 0)
            {
                throw new ArgumentException($"Unknown GPU model '{request.ModelId}'.", nameof(request));
            }

            return (await ReadOneAsync(connection, id, cancellationToken).ConfigureAwait(false))!;
        }
    }

    /// <inheritdoc />
    public async Task<GpuInstance?> UpdateInstanceAsync(string id, UpdateInstanceRequest update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (update.Status is not null && !Statuses.Contains(update.Status))
        {
            throw new ArgumentException($"Unknown status '{update.Status}'; expected one of {string.Join(", ", Statuses)}.", nameof(update));
        }

        await latency.WaitAsync(cancellationToken).ConfigureAwait(false);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var changed = await GpuDatabase.ExecuteAsync(connection, null, """
                UPDATE gpu_instances SET
                    name = COALESCE($name, name),
                    status = COALESCE($status, status),
                    owner_id = CASE WHEN $owner IS NULL THEN owner_id WHEN $owner = '' THEN NULL ELSE $owner END,
                    hourly_price = COALESCE($price, hourly_price),
                    updated_at = $now
                WHERE id = $id
                """,
                cancellationToken,
                ("$name", update.Name), ("$status", update.Status), ("$owner", update.OwnerId), ("$price", update.HourlyPrice is { } p ? (double)p : null),
                ("$now", GpuDatabase.Timestamp(DateTimeOffset.UtcNow)), ("$id", id)).ConfigureAwait(false);
            return changed == 0 ? null : await ReadOneAsync(connection, id, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<GpuInstance?> ReadOneAsync(SqliteConnection connection, string id, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = $"SELECT {Columns} FROM gpu_instances WHERE id = $id";
            command.Parameters.AddWithValue("$id", id);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
            }
        }
    }

    internal static GpuInstance Read(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        reader.IsDBNull(5) ? null : reader.GetString(5),
        Math.Round(reader.GetDecimal(6), 2),
        GpuDatabase.ParseTimestamp(reader.GetString(7)));
}
