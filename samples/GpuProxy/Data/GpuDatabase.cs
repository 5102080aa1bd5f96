using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace GpuProxy.Data;

/// <summary>
/// The sample's source of truth: a SQLite file created and seeded on first run. Every call opens a pooled connection,
/// so concurrent requests do not share one; WAL mode lets readers run while a writer commits.
/// </summary>
public sealed partial class GpuDatabase
{
    /// <summary>Regions instances are spread over.</summary>
    public static readonly IReadOnlyList<string> Regions = ["us-east", "us-west", "eu-west", "eu-central", "ap-south", "ap-northeast"];

    private readonly string _connectionString;
    private readonly GpuProxyOptions _options;
    private readonly ILogger<GpuDatabase> _logger;

    /// <summary>Creates the database accessor (the file is created by <see cref="InitializeAsync"/>).</summary>
    /// <param name="options">Sample settings.</param>
    /// <param name="environment">Resolves a relative database path against the content root.</param>
    /// <param name="logger">Logger.</param>
    public GpuDatabase(IOptions<GpuProxyOptions> options, IHostEnvironment environment, ILogger<GpuDatabase> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        _options = options.Value;
        _logger = logger;
        Path = System.IO.Path.GetFullPath(_options.DatabasePath, environment.ContentRootPath);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path, Pooling = true, DefaultTimeout = 30 }.ToString();
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>Opens a connection.</summary>
    /// <param name="cancellationToken">Cancels the open.</param>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    /// <summary>Creates the schema and, when the database is empty, seeds it (deterministically: the same rows on every machine).</summary>
    /// <param name="cancellationToken">Cancels the work.</param>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await ExecuteAsync(connection, """
                PRAGMA journal_mode = WAL;
                CREATE TABLE IF NOT EXISTS gpu_models (
                    id TEXT PRIMARY KEY, name TEXT NOT NULL, vendor TEXT NOT NULL, memory_gb INTEGER NOT NULL,
                    fp16_tflops REAL NOT NULL, base_hourly_price REAL NOT NULL);
                CREATE TABLE IF NOT EXISTS users (
                    id TEXT PRIMARY KEY, display_name TEXT NOT NULL, email TEXT NOT NULL, plan TEXT NOT NULL,
                    credits REAL NOT NULL, updated_at TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS gpu_instances (
                    id TEXT PRIMARY KEY, name TEXT NOT NULL, model_id TEXT NOT NULL REFERENCES gpu_models(id),
                    region TEXT NOT NULL, status TEXT NOT NULL, owner_id TEXT NULL REFERENCES users(id),
                    hourly_price REAL NOT NULL, updated_at TEXT NOT NULL);
                CREATE INDEX IF NOT EXISTS ix_instances_status_region ON gpu_instances(status, region);
                """, cancellationToken).ConfigureAwait(false);

            var existing = await ScalarAsync(connection, "SELECT COUNT(*) FROM gpu_models", cancellationToken).ConfigureAwait(false);
            if (existing > 0)
            {
                LogOpened(_logger, Path);
                return;
            }

            var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await SeedAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            LogSeeded(_logger, Path, _options.SeedInstances, _options.SeedUsers);
        }
    }

    /// <summary>
    /// Puts the seeded rows back (the same ones as on first run), in one transaction: readers see the old data or the
    /// new, never an empty table. The caller drops the cache afterwards.
    /// </summary>
    /// <param name="cancellationToken">Cancels the work.</param>
    public async Task ResetAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                foreach (var table in new[] { "gpu_instances", "users", "gpu_models" })
                {
                    await ExecuteAsync(connection, transaction, "DELETE FROM " + table, cancellationToken).ConfigureAwait(false);
                }

                await SeedAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        LogReset(_logger, Path, _options.SeedInstances, _options.SeedUsers);
    }

    /// <summary>Formats a timestamp the way the database stores it.</summary>
    /// <param name="value">The timestamp.</param>
    public static string Timestamp(DateTimeOffset value) => value.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    /// <summary>Reads a stored timestamp.</summary>
    /// <param name="text">The stored text.</param>
    public static DateTimeOffset ParseTimestamp(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private async Task SeedAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        var random = new Random(42);
        var now = Timestamp(DateTimeOffset.UtcNow);
        GpuModel[] models =
        [
            new("h100-80gb", "NVIDIA H100 SXM 80GB", "nvidia", 80, 989, 2.49m),
            new("h200-141gb", "NVIDIA H200 141GB", "nvidia", 141, 989, 3.29m),
            new("a100-80gb", "NVIDIA A100 80GB", "nvidia", 80, 312, 1.39m),
            new("a100-40gb", "NVIDIA A100 40GB", "nvidia", 40, 312, 1.09m),
            new("l40s-48gb", "NVIDIA L40S", "nvidia", 48, 362, 0.99m),
            new("l4-24gb", "NVIDIA L4", "nvidia", 24, 121, 0.44m),
            new("rtx4090-24gb", "NVIDIA GeForce RTX 4090", "nvidia", 24, 165, 0.39m),
            new("mi300x-192gb", "AMD Instinct MI300X", "amd", 192, 1307, 2.99m),
            new("mi250-128gb", "AMD Instinct MI250", "amd", 128, 362, 1.29m),
            new("gaudi2-96gb", "Intel Gaudi 2", "intel", 96, 432, 1.19m),
        ];
        foreach (var m in models)
        {
            await ExecuteAsync(connection, transaction,
                "INSERT INTO gpu_models VALUES ($id, $name, $vendor, $memory, $tflops, $price)",
                cancellationToken,
                ("$id", m.Id), ("$name", m.Name), ("$vendor", m.Vendor), ("$memory", m.MemoryGb), ("$tflops", m.Fp16Tflops), ("$price", (double)m.BaseHourlyPrice)).ConfigureAwait(false);
        }

        string[] first = ["Ada", "Alan", "Grace", "Linus", "Barbara", "Dennis", "Margaret", "Ken", "Frances", "Edsger", "Radia", "Donald", "Sophie", "John", "Katherine", "Guido"];
        string[] last = ["Lovelace", "Turing", "Hopper", "Torvalds", "Liskov", "Ritchie", "Hamilton", "Thompson", "Allen", "Dijkstra", "Perlman", "Knuth", "Wilson", "McCarthy", "Johnson", "Rossum"];
        string[] plans = ["free", "free", "free", "pro", "pro", "enterprise"];
        for (var i = 1; i <= _options.SeedUsers; i++)
        {
            var id = UserId(i);
            var name = $"{first[random.Next(first.Length)]} {last[random.Next(last.Length)]}";
            await ExecuteAsync(connection, transaction,
                "INSERT INTO users VALUES ($id, $name, $email, $plan, $credits, $now)",
                cancellationToken,
                ("$id", id), ("$name", name), ("$email", $"{id}@example.com"), ("$plan", plans[random.Next(plans.Length)]),
                ("$credits", Math.Round(random.NextDouble() * 5000, 2)), ("$now", now)).ConfigureAwait(false);
        }

        for (var i = 1; i <= _options.SeedInstances; i++)
        {
            // Popular models are more common, as in a real fleet.
            var model = models[Math.Min(models.Length - 1, (int)(models.Length * Math.Pow(random.NextDouble(), 1.6)))];
            var roll = random.NextDouble();
            var status = roll < 0.4 ? "available" : roll < 0.85 ? "running" : "stopped";
            string? owner = status == "running" && _options.SeedUsers > 0 ? UserId(random.Next(1, _options.SeedUsers + 1)) : null;
            var price = Math.Round((double)model.BaseHourlyPrice * (0.9 + (random.NextDouble() * 0.4)), 2);
            await ExecuteAsync(connection, transaction,
                "INSERT INTO gpu_instances VALUES ($id, $name, $model, $region, $status, $owner, $price, $now)",
                cancellationToken,
                ("$id", InstanceId(i)), ("$name", $"{model.Id}-{i}"), ("$model", model.Id), ("$region", Regions[random.Next(Regions.Count)]),
                ("$status", status), ("$owner", owner), ("$price", price), ("$now", now)).ConfigureAwait(false);
        }
    }

    /// <summary>The id of the n-th seeded user.</summary>
    /// <param name="n">1-based index.</param>
    public static string UserId(int n) => "user-" + n.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>The id of the n-th seeded instance.</summary>
    /// <param name="n">1-based index.</param>
    public static string InstanceId(int n) => "gpu-" + n.ToString("D5", CultureInfo.InvariantCulture);

    internal static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    internal static async Task<int> ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = sql;
            command.Transaction = transaction;
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }

            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = sql;
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Using the SQLite database at {Path}.")]
    private static partial void LogOpened(ILogger logger, string path);

    [LoggerMessage(2, LogLevel.Information, "Created and seeded the SQLite database at {Path} ({Instances} GPU instances, {Users} users).")]
    private static partial void LogSeeded(ILogger logger, string path, int instances, int users);

    [LoggerMessage(3, LogLevel.Information, "Reset the SQLite database at {Path} to its seed ({Instances} GPU instances, {Users} users).")]
    private static partial void LogReset(ILogger logger, string path, int instances, int users);
}
