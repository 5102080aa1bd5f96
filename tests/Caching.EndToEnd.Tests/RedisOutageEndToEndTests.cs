using System.Net;
using Caching.Testing;

namespace Caching.EndToEnd.Tests;

/// <summary>The sample keeps serving when Redis goes away, reports Degraded, and recovers when it is back.</summary>
public sealed class RedisOutageEndToEndTests
{
    [Fact]
    public async Task Without_Redis_the_sample_serves_from_L1_and_the_source_and_health_is_Degraded_until_Redis_returns()
    {
        using var redis = new RedisServer();
        var directory = Path.Combine(Path.GetTempPath(), "gpuproxy-outage-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        try
        {
            await using var pod = await SampleProcess.StartAsync(new Dictionary<string, string>
            {
                ["CACHE_REDIS_CONNECTION"] = redis.ConnectionString,
                ["CACHE_KEY_PREFIX"] = "outage",
                ["GpuProxy__DatabasePath"] = Path.Combine(directory, "gpuproxy.db"),
                ["GpuProxy__SourceLatency"] = "5",
                ["GpuProxy__SeedInstances"] = "50",
                ["GpuProxy__SeedUsers"] = "10",
            });
            Assert.Equal("Healthy", await pod.Client.GetStringAsync(new Uri("/health", UriKind.Relative)));

            redis.Stop();

            using (var first = await pod.Client.GetAsync(new Uri("/api/models?vendor=amd", UriKind.Relative)))
            using (var second = await pod.Client.GetAsync(new Uri("/api/models?vendor=amd", UriKind.Relative)))
            using (var profile = await pod.Client.GetAsync(new Uri("/api/users/user-0003/profile", UriKind.Relative)))
            {
                Assert.Equal(HttpStatusCode.OK, first.StatusCode);
                Assert.Equal("MISS", first.Headers.GetValues("X-Cache").Single());
                Assert.Equal("HIT-LOCAL", second.Headers.GetValues("X-Cache").Single());
                Assert.Equal(HttpStatusCode.OK, profile.StatusCode);
            }

            Assert.Equal("Degraded", await pod.Client.GetStringAsync(new Uri("/health", UriKind.Relative)));
            Assert.Contains("unreachable", pod.Output, StringComparison.OrdinalIgnoreCase);

            redis.Start();

            var deadline = DateTime.UtcNow.AddSeconds(30);
            string health;
            do
            {
                await Task.Delay(500);
                health = await pod.Client.GetStringAsync(new Uri("/health", UriKind.Relative));
            }
            while (health != "Healthy" && DateTime.UtcNow < deadline);

            Assert.Equal("Healthy", health);
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
