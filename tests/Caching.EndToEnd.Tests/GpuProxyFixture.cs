using Caching.Testing;

namespace Caching.EndToEnd.Tests;

/// <summary>A real Redis and two GpuProxy processes ("pods") sharing it and one SQLite file.</summary>
public sealed class GpuProxyFixture : IAsyncLifetime
{
    public const string AdminKey = "e2e-admin-key";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "gpuproxy-e2e-" + Guid.NewGuid().ToString("N")[..8]);

    public RedisServer Redis { get; } = new();

    public SampleProcess PodA { get; private set; } = null!;

    public SampleProcess PodB { get; private set; } = null!;

    public string DatabasePath => Path.Combine(_directory, "gpuproxy.db");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        var environment = new Dictionary<string, string>
        {
            ["CACHE_REDIS_CONNECTION"] = Redis.ConnectionString,
            ["CACHE_KEY_PREFIX"] = "e2e",
            ["CACHE_ADMIN_API_KEY"] = AdminKey,
            ["GpuProxy__DatabasePath"] = DatabasePath,
            ["GpuProxy__SourceLatency"] = "20",
            ["GpuProxy__SeedInstances"] = "200",
            ["GpuProxy__SeedUsers"] = "50",
        };

        // One after the other: the first creates and seeds the database.
        PodA = await SampleProcess.StartAsync(environment);
        PodB = await SampleProcess.StartAsync(environment);
    }

    public async Task DisposeAsync()
    {
        if (PodA is not null)
        {
            await PodA.DisposeAsync();
        }

        if (PodB is not null)
        {
            await PodB.DisposeAsync();
        }

        Redis.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
