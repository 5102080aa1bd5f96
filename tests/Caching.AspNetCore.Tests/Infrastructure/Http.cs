using System.Net.Http.Headers;

namespace Caching.AspNetCore.Tests.Infrastructure;

internal static class Http
{
    public static async Task<(HttpResponseMessage Response, string Body)> FetchAsync(this HttpClient client, string url, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        configure?.Invoke(request);
        var response = await client.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    public static string? XCache(this HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Cache", out var values) ? values.Single() : null;

    public static void Bearer(this HttpRequestMessage request, string user) =>
        request.Headers.Authorization = new AuthenticationHeaderValue("Test", user);
}
