using GpuProxy.Data;

namespace GpuProxy.Services;

/// <summary>Reads the model catalog from SQLite, paying the configured source latency.</summary>
/// <param name="database">The database.</param>
/// <param name="latency">The simulated source latency.</param>
public sealed class ModelCatalog(GpuDatabase database, SourceLatency latency) : IModelCatalog
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<GpuModel>> ListAsync(string? vendor, CancellationToken cancellationToken = default)
    {
        await latency.WaitAsync(cancellationToken).ConfigureAwait(false);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = """
                    SELECT id, name, vendor, memory_gb, fp16_tflops, base_hourly_price FROM gpu_models
                    WHERE $vendor IS NULL OR vendor = $vendor ORDER BY vendor, memory_gb DESC, id
                    """;
                command.Parameters.AddWithValue("$vendor", (object?)vendor?.ToLowerInvariant() ?? DBNull.Value);
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    var list = new List<GpuModel>();
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        list.Add(new GpuModel(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetDouble(4), Math.Round(reader.GetDecimal(5), 2)));
                    }

                    return list;
                }
            }
        }
    }
}
