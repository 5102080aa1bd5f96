using System.Net;
using Caching.Testing;

namespace Caching.EndToEnd.Tests;

/// <summary>The sample talks to a Redis that wants a password and never writes that password to its output, up or down.</summary>
public sealed class RedisPasswordEndToEndTests
{
    [Fact]
    public async Task The_password_reaches_Redis_but_never_the_log_even_when_Redis_goes_away()
    {
        var password = "pw-" + Guid.NewGuid().ToString("N");
        using var redis = new RedisServer("--requirepass", password);
        var directory = Path.Combine(Path.GetTempPath(), "gpuproxy-secret-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        try
        {
            await using var pod = await SampleProcess.StartAsync(new Dictionary<string, string>
            {
                ["CACHE_REDIS_CONNECTION"] = $"{redis.Endpoint},password={password},abortConnect=false,connectTimeout=2000",
                ["CACHE_KEY_PREFIX"] = "secret",
                ["GpuProxy__DatabasePath"] = Path.Combine(directory, "gpuproxy.db"),
                ["GpuProxy__SourceLatency"] = "0",
                ["GpuProxy__SeedInstances"] = "20",
                ["GpuProxy__SeedUsers"] = "5",
                ["Logging__LogLevel__Default"] = "Debug",
            });

            // Healthy means the set/get round trip through Redis worked: the password was used.
            Assert.Equal("Healthy", await pod.Client.GetStringAsync(new Uri("/health", UriKind.Relative)));
            using (var first = await pod.Client.GetAsync(new Uri("/api/models?vendor=nvidia", UriKind.Relative)))
            {
                Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            }

            redis.Stop();
            using (var during = await pod.Client.GetAsync(new Uri("/api/users/user-0002/profile", UriKind.Relative)))
            {
                Assert.Equal(HttpStatusCode.OK, during.StatusCode);
            }

            Assert.Equal("Degraded", await pod.Client.GetStringAsync(new Uri("/health", UriKind.Relative)));
            Assert.Contains(redis.Endpoint, pod.Output, StringComparison.Ordinal);
            Assert.Contains("unreachable", pod.Output, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(password, pod.Output, StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
