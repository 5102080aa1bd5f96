using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Caching.EndToEnd.Tests;

/// <summary>The search endpoint, per-region invalidation of lists and searches, and the data reset, on their own pods.</summary>
public sealed class SearchAndResetEndToEndTests(GpuProxyFixture fixture) : IClassFixture<GpuProxyFixture>
{
    private const string Changed = "us-east";
    private const string Untouched = "ap-south";

    [Fact]
    public async Task Search_is_cached_and_an_instance_write_drops_only_its_region_s_searches_and_lists()
    {
        // "gb" is in every model id: every available instance of the region matches.
        string Search(string? region) => "/api/search?q=gb" + (region is null ? string.Empty : "&region=" + region);
        string List(string region) => "/api/gpu/instances?region=" + region;

        var changedBefore = await GetArrayAsync(Search(Changed));
        var untouchedBefore = await GetArrayAsync(Search(Untouched));
        var allBefore = await GetArrayAsync(Search(null));
        Assert.All(changedBefore, i => Assert.Equal(Changed, i.GetProperty("region").GetString()));
        Assert.All(untouchedBefore, i => Assert.Equal(Untouched, i.GetProperty("region").GetString()));
        Assert.NotEmpty(allBefore);
        Assert.Equal("MISS", await XCacheAsync(List(Changed)));
        Assert.Equal("MISS", await XCacheAsync(List(Untouched)));

        // Behind the service's back, one instance of each region becomes the cheapest of all.
        var changedTarget = changedBefore[0].GetProperty("id").GetString()!;
        var untouchedTarget = untouchedBefore[0].GetProperty("id").GetString()!;
        await SetPriceOutOfBandAsync(changedTarget, 0.01m);
        await SetPriceOutOfBandAsync(untouchedTarget, 0.01m);
        Assert.DoesNotContain(await GetArrayAsync(Search(Changed)), IsCheap);
        Assert.DoesNotContain(await GetArrayAsync(Search(null)), IsCheap);

        // A write through the API to another instance of the changed region.
        var other = changedBefore[1].GetProperty("id").GetString()!;
        using (var put = await fixture.PodA.Client.PutAsJsonAsync(new Uri($"/api/gpu/instances/{other}", UriKind.Relative), new { name = "renamed-by-e2e" }))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        // Its region's search and the all-region search are read again (and show the out-of-band price too)...
        Assert.Contains(await GetArrayAsync(Search(Changed)), i => i.GetProperty("id").GetString() == changedTarget && IsCheap(i));
        Assert.Contains(await GetArrayAsync(Search(null)), i => i.GetProperty("id").GetString() == changedTarget && IsCheap(i));
        Assert.Equal("MISS", await XCacheAsync(List(Changed)));

        // ...the other region's are not: still the cached answers, without the out-of-band price.
        Assert.DoesNotContain(await GetArrayAsync(Search(Untouched)), IsCheap);
        Assert.NotEqual("MISS", await XCacheAsync(List(Untouched)));

        using var missing = await fixture.PodA.Client.GetAsync(new Uri("/api/search?region=eu-west", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
    }

    [Fact]
    public async Task Reset_needs_the_key_puts_the_seeded_data_back_and_both_pods_drop_what_they_cached()
    {
        const string profile = "/api/users/user-0011/profile";
        var seeded = (await fixture.PodA.Client.GetFromJsonAsync<JsonElement>(new Uri(profile, UriKind.Relative))).GetProperty("displayName").GetString();
        using (var put = await fixture.PodA.Client.PutAsJsonAsync(new Uri(profile, UriKind.Relative), new { displayName = "Changed Before Reset" }))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        await EventuallyAsync(async () => await DisplayNameAsync(fixture.PodB, profile) == "Changed Before Reset");
        using (var created = await fixture.PodA.Client.PostAsJsonAsync(new Uri("/api/gpu/instances", UriKind.Relative), new { name = "before-reset", modelId = "l4-24gb", region = "eu-west" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        Assert.Contains(await GetArrayAsync("/api/search?q=before-reset"), i => i.GetProperty("name").GetString() == "before-reset");

        using (var refused = await fixture.PodA.Client.PostAsync(new Uri("/api/admin/reset", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        Assert.Equal("Changed Before Reset", await DisplayNameAsync(fixture.PodA, profile));

        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/admin/reset"))
        {
            request.Headers.Add("X-Api-Key", GpuProxyFixture.AdminKey);
            using var reset = await fixture.PodA.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        }

        Assert.Equal(seeded, await DisplayNameAsync(fixture.PodA, profile));
        Assert.Empty(await GetArrayAsync("/api/search?q=before-reset"));
        await EventuallyAsync(async () => await DisplayNameAsync(fixture.PodB, profile) == seeded);
        await using var connection = new SqliteConnection($"Data Source={fixture.DatabasePath}");
        await connection.OpenAsync();
        var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM gpu_instances";
        Assert.Equal(200L, (long)(await command.ExecuteScalarAsync())!);
    }

    private static bool IsCheap(JsonElement instance) => instance.GetProperty("hourlyPrice").GetDecimal() == 0.01m;

    private static async Task<string?> DisplayNameAsync(SampleProcess pod, string url) =>
        (await pod.Client.GetFromJsonAsync<JsonElement>(new Uri(url, UriKind.Relative))).GetProperty("displayName").GetString();

    private async Task<JsonElement[]> GetArrayAsync(string url) =>
        await fixture.PodA.Client.GetFromJsonAsync<JsonElement[]>(new Uri(url, UriKind.Relative)) ?? [];

    private async Task<string?> XCacheAsync(string url)
    {
        using var response = await fixture.PodA.Client.GetAsync(new Uri(url, UriKind.Relative));
        return response.Headers.TryGetValues("X-Cache", out var values) ? values.Single() : null;
    }

    private async Task SetPriceOutOfBandAsync(string id, decimal price)
    {
        await using var connection = new SqliteConnection($"Data Source={fixture.DatabasePath}");
        await connection.OpenAsync();
        var command = connection.CreateCommand();
        command.CommandText = "UPDATE gpu_instances SET hourly_price = $price WHERE id = $id";
        command.Parameters.AddWithValue("$price", (double)price);
        command.Parameters.AddWithValue("$id", id);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition)
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
