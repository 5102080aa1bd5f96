namespace Caching.Runtime.Tests.Infrastructure;

internal static class Eventually
{
    /// <summary>Polls until the condition holds; returns how long it took. Fails after the bound.</summary>
    public static async Task<TimeSpan> HoldsAsync(Func<Task<bool>> condition, TimeSpan bound, string what)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (started.Elapsed < bound)
        {
            if (await condition())
            {
                return started.Elapsed;
            }

            await Task.Delay(10);
        }

        Assert.Fail($"{what} did not happen within {bound}.");
        return started.Elapsed;
    }
}
