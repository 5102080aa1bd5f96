namespace GpuProxy.Load;

/// <summary><c>dotnet run --project samples/GpuProxy -- reset [--url URL] [--api-key KEY]</c>: the running service back to its seed.</summary>
internal static class ResetCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        LoadOptions options;
        try
        {
            options = LoadOptions.Parse(args);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or UriFormatException)
        {
            await Console.Error.WriteLineAsync(ex.Message + Environment.NewLine + "Usage: dotnet run --project samples/GpuProxy -- reset [--url URL] [--api-key KEY]").ConfigureAwait(false);
            return 2;
        }

        using var client = new HttpClient { BaseAddress = options.Target, Timeout = TimeSpan.FromMinutes(2) };
        try
        {
            var (ok, body) = await LoadCommand.ResetAsync(client, options).ConfigureAwait(false);
            Console.WriteLine(ok ? $"Reset {options.Target}: {body}" : $"Reset refused by {options.Target}: {body} (API key? --api-key or CACHE_ADMIN_API_KEY)");
            return ok ? 0 : 1;
        }
        catch (HttpRequestException ex)
        {
            await Console.Error.WriteLineAsync($"Cannot reach {options.Target}: {ex.Message}. Start it first: dotnet run --project samples/GpuProxy").ConfigureAwait(false);
            return 1;
        }
    }
}
