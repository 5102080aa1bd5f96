using System.Buffers;
using System.Collections.Concurrent;
using Caching.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Caching.AspNetCore.Tests;

/// <summary>
/// A response key is the path and query, which can carry personal data: it is logged only at Debug, and a cache that
/// keeps failing is one warning, not one per request. The cache is real (with a real Redis); only its serializer is
/// broken, the one collaborator that makes every store fail.
/// </summary>
public sealed class ResponseCacheLoggingTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    private const string Personal = "ada.lovelace@example.com";

    [Fact]
    public async Task A_store_that_keeps_failing_is_one_warning_without_the_key_and_each_failure_is_at_Debug()
    {
        var logs = new CapturingLoggerProvider();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        var options = new MultiLayerCacheOptions
        {
            KeyPrefix = "log-" + Guid.NewGuid().ToString("N")[..8],
            RedisConnection = fixture.Redis.ConnectionString,
        };
        // Stored responses bring their own serializer ([CacheSerializer]); an application's choice for the type wins.
        options.Serializers.Add<CachedResponse>(new BrokenSerializer());
        builder.Services.AddMultiLayerCache(options);
        builder.Services.AddMultiLayerResponseCache();
        await using var app = builder.Build();
        app.UseMultiLayerResponseCache();
        var runs = 0;
        app.MapGet("/profile", (string email) => $"profile of {email} #{Interlocked.Increment(ref runs)}").CacheResponse(TimeSpan.FromMinutes(1));
        await app.StartAsync();
        var client = app.GetTestClient();

        for (var i = 0; i < 10; i++)
        {
            var body = await client.GetStringAsync(new Uri($"/profile?email={Personal}", UriKind.Relative));
            Assert.Equal($"profile of {Personal} #{i + 1}", body);
        }

        var cacheLogs = logs.Entries.Where(e => e.Category.StartsWith("Caching.", StringComparison.Ordinal)).ToList();
        var warnings = cacheLogs.Where(e => e.Level >= LogLevel.Warning).ToList();
        Assert.True(warnings.Count == 1, "one warning, got:\n" + string.Join("\n", warnings.Select(w => $"{w.Level} {w.Category}: {w.Message}")));
        Assert.DoesNotContain(Personal, warnings[0].Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Personal, warnings[0].Exception ?? string.Empty, StringComparison.Ordinal);
        Assert.Equal(10, cacheLogs.Count(e => e.Level == LogLevel.Debug && e.Category == "Caching.AspNetCore.ResponseCacheMiddleware" && e.Message.Contains(Personal, StringComparison.Ordinal)));
    }

    /// <summary>Fails every write with an exception the cache does not expect from a serializer.</summary>
    private sealed class BrokenSerializer : ICacheSerializer
    {
        public void Serialize<T>(IBufferWriter<byte> destination, T value) => throw new InvalidDataException("the serializer is broken");

        public T Deserialize<T>(ReadOnlySpan<byte> source) => throw new InvalidDataException("the serializer is broken");
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<(string Category, LogLevel Level, string Message, string? Exception)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Entries);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<(string, LogLevel, string, string?)> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                entries.Enqueue((category, logLevel, formatter(state, exception), exception?.ToString()));
        }
    }
}
