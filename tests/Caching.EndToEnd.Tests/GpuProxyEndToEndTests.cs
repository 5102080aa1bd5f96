using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Caching.EndToEnd.Tests;

/// <summary>The sample as a real process over HTTP, with a real Redis: X-Cache, /metrics, /health, invalidation.</summary>
public sealed class GpuProxyEndToEndTests(GpuProxyFixture fixture) : IClassFixture<GpuProxyFixture>
{
    [Fact]
    public async Task List_is_MISS_then_HIT_LOCAL_and_the_other_pod_answers_HIT_REDIS()
    {
        const string url = "/api/gpu/instances?region=us-west";

        using var first = await fixture.PodA.Client.GetAsync(new Uri(url, UriKind.Relative));
        using var second = await fixture.PodA.Client.GetAsync(new Uri(url, UriKind.Relative));
        using var otherPod = await fixture.PodB.Client.GetAsync(new Uri(url, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("MISS", XCache(first));
        Assert.Equal("HIT-LOCAL", XCache(second));
        Assert.Equal("HIT-REDIS", XCache(otherPod));
        var body = await first.Content.ReadAsStringAsync();
        Assert.Equal(body, await otherPod.Content.ReadAsStringAsync());
        using var instances = JsonDocument.Parse(body);
        Assert.NotEqual(0, instances.RootElement.GetArrayLength());
        Assert.All(instances.RootElement.EnumerateArray(), i => Assert.Equal("us-west", i.GetProperty("region").GetString()));
    }

    [Fact]
    public async Task Metrics_show_the_seed_s_names_and_health_is_healthy_with_Redis()
    {
        await fixture.PodA.Client.GetAsync(new Uri("/api/models", UriKind.Relative));
        await fixture.PodA.Client.GetAsync(new Uri("/api/models", UriKind.Relative));

        var metrics = await fixture.PodA.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var health = await fixture.PodA.Client.GetStringAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal("Healthy", health);
        foreach (var name in new[] { "cache_requests_total", "cache_hits_total", "cache_operation_duration_seconds_bucket", "cache_local_size_bytes", "cache_local_max_size_bytes" })
        {
            Assert.Contains(name, metrics, StringComparison.Ordinal);
        }

        Assert.True(Counter(metrics, "cache_hits_total", "layer=\"local\"") >= 1, metrics);
        Assert.True(Counter(metrics, "cache_requests_total") >= 2, metrics);
    }

    [Fact]
    public async Task An_out_of_band_change_stays_hidden_until_invalidated_and_invalidation_needs_the_key()
    {
        const string url = "/api/gpu/instances?region=eu-central";
        var before = await ListAsync(fixture.PodA, url);
        Assert.Equal("HIT-REDIS", XCache(await fixture.PodB.Client.GetAsync(new Uri(url, UriKind.Relative))));
        var target = before.First().GetProperty("id").GetString()!;

        // Someone changes the source behind the service's back: the cache keeps serving the old price.
        await using (var connection = new SqliteConnection($"Data Source={fixture.DatabasePath}"))
        {
            await connection.OpenAsync();
            var command = connection.CreateCommand();
            command.CommandText = "UPDATE gpu_instances SET hourly_price = 0.01 WHERE id = $id";
            command.Parameters.AddWithValue("$id", target);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        Assert.DoesNotContain(await ListAsync(fixture.PodA, url), i => i.GetProperty("hourlyPrice").GetDecimal() == 0.01m);

        using (var refused = await InvalidateAsync(fixture.PodA, """{"tag":"gpu:instances"}""", apiKey: null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using (var wrongKey = await InvalidateAsync(fixture.PodA, """{"tag":"gpu:instances"}""", apiKey: "guess"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        }

        using (var badPattern = await InvalidateAsync(fixture.PodA, """{"pattern":"http:[x]"}""", GpuProxyFixture.AdminKey))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badPattern.StatusCode);
        }

        Assert.Equal("HIT-LOCAL", XCache(await fixture.PodA.Client.GetAsync(new Uri(url, UriKind.Relative))));

        using (var accepted = await InvalidateAsync(fixture.PodA, """{"tag":"gpu:instances"}""", GpuProxyFixture.AdminKey))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
            var result = await accepted.Content.ReadFromJsonAsync<JsonElement>();

            // A tag is one mark in Redis: its entries are voided in place, none is removed physically.
            Assert.Equal(0, result.GetProperty("removed").GetInt64());
        }

        using var afterA = await fixture.PodA.Client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal("MISS", XCache(afterA));
        Assert.Contains(await afterA.Content.ReadFromJsonAsync<JsonElement[]>() ?? [], i => i.GetProperty("id").GetString() == target && i.GetProperty("hourlyPrice").GetDecimal() == 0.01m);

        // The other pod drops its L1 copy through the backplane.
        await Eventually(async () => (await ListAsync(fixture.PodB, url)).Any(i => i.GetProperty("hourlyPrice").GetDecimal() == 0.01m));
    }

    [Fact]
    public async Task Writes_through_the_api_are_read_back()
    {
        var profile = await fixture.PodA.Client.GetFromJsonAsync<JsonElement>(new Uri("/api/users/user-0007/profile", UriKind.Relative));
        Assert.Equal("user-0007", profile.GetProperty("id").GetString());
        var newName = "Renamed " + Guid.NewGuid().ToString("N")[..6];

        using var put = await fixture.PodB.Client.PutAsJsonAsync(new Uri("/api/users/user-0007/profile", UriKind.Relative), new { displayName = newName });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        await Eventually(async () =>
            (await fixture.PodA.Client.GetFromJsonAsync<JsonElement>(new Uri("/api/users/user-0007/profile", UriKind.Relative))).GetProperty("displayName").GetString() == newName);
        using var created = await fixture.PodA.Client.PostAsJsonAsync(new Uri("/api/gpu/instances", UriKind.Relative), new { name = "e2e", modelId = "l4-24gb", region = "ap-south" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var missing = await fixture.PodA.Client.GetAsync(new Uri("/api/gpu/instances/gpu-99999", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private static string? XCache(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Cache", out var values) ? values.Single() : null;

    private static async Task<JsonElement[]> ListAsync(SampleProcess pod, string url) =>
        await pod.Client.GetFromJsonAsync<JsonElement[]>(new Uri(url, UriKind.Relative)) ?? [];

    private static async Task<HttpResponseMessage> InvalidateAsync(SampleProcess pod, string json, string? apiKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/cache/invalidate") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }

        return await pod.Client.SendAsync(request);
    }

    private static double Counter(string metrics, string name, string label = "")
    {
        var total = 0.0;
        foreach (var line in metrics.Split('\n'))
        {
            if (line.StartsWith(name, StringComparison.Ordinal) && line.Contains(label, StringComparison.Ordinal) && !line.StartsWith('#'))
            {
                total += double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return total;
    }

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail("The change did not become visible within 5 s.");
    }
}
