using Caching;
using GpuProxy.Data;

namespace GpuProxy.Services;

/// <summary>
/// Search cached by hand rather than by the generator: keys from <see cref="CacheKeyGen.Query(string, IEnumerable{KeyValuePair{string, object}})"/>
/// (<c>gpu:query:search:q=h100&amp;region=eu-west</c>, parameters sorted, values escaped), tagged by region so an
/// instance write drops the searches of its region and the all-region ones, and no others.
/// </summary>
/// <param name="cache">The cache.</param>
/// <param name="database">The database.</param>
/// <param name="latency">The simulated source latency.</param>
public sealed class SearchService(IMultiLayerCache cache, GpuDatabase database, SourceLatency latency) : ISearchService
{
    private const int Limit = 50;
    private static readonly CacheKeyGen Keys = new("gpu");

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<GpuInstance>> SearchAsync(string query, string? region, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var options = new CacheEntryOptions
        {
            LocalTtl = TimeSpan.FromSeconds(30),
            RedisTtl = TimeSpan.FromMinutes(5),
            Tags = [InstanceCacheScopes.SearchTag(region), InstanceCacheScopes.AllInstancesTag],
        };
        return cache.GetOrSetAsync(
            Keys.Query("search", ("q", query), ("region", region)),
            (Service: this, Query: query, Region: region),
            static (s, ct) => s.Service.RunAsync(s.Query, s.Region, ct),
            options,
            cancellationToken);
    }

    private async ValueTask<IReadOnlyList<GpuInstance>> RunAsync(string query, string? region, CancellationToken cancellationToken)
    {
        await latency.WaitAsync(cancellationToken).ConfigureAwait(false);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = $"""
                    SELECT {GpuService.Columns} FROM gpu_instances
                    WHERE status = 'available' AND ($region IS NULL OR region = $region)
                      AND (instr(lower(name), $q) > 0 OR instr(model_id, $q) > 0)
                    ORDER BY hourly_price, id LIMIT {Limit}
                    """;
                command.Parameters.AddWithValue("$q", query.ToLowerInvariant());
                command.Parameters.AddWithValue("$region", (object?)region ?? DBNull.Value);
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    var list = new List<GpuInstance>();
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        list.Add(GpuService.Read(reader));
                    }

                    return list;
                }
            }
        }
    }
}
