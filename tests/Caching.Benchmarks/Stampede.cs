using System.Globalization;
using Caching.Testing;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using ZiggyCreatures.Caching.Fusion;

namespace Caching.Benchmarks;

/// <summary>
/// DESIGN "1,000 callers on one cold key" (<c>-- stampede</c>): 1,000 tasks released together ask for one key
/// nobody has; the factory takes 300 ms, so every caller arrives while the first load runs. Prints how many times
/// each contestant ran the factory (target: 1 per node), how many callers got the value, and the wall time for all
/// of them (after one warm-up load on another key, so JIT and serializer start-up are not counted).
/// </summary>
internal static class Stampede
{
    private const int Callers = 1000;
    private static readonly TimeSpan FactoryTime = TimeSpan.FromMilliseconds(300);

    public static async Task RunAsync()
    {
        Console.WriteLine();
        Console.WriteLine($"## Stampede: {Callers.ToString("N0", CultureInfo.InvariantCulture)} concurrent callers, one cold key, factory takes {FactoryTime.TotalMilliseconds} ms");
        Console.WriteLine();
        Console.WriteLine("| contestant | factory runs | callers served | wall time |");
        Console.WriteLine("|---|---:|---:|---:|");

        using (var raw = Contestants.RawMemory())
        {
            await Report("raw MemoryCache.GetOrCreateAsync", (key, factory) => raw.GetOrCreateAsync(key, _ => factory(CancellationToken.None))!).ConfigureAwait(false);
        }

        await using (var ours = Contestants.Ours(redis: null))
        {
            await Report("ours GetOrSetAsync (L1 only)", (key, factory) => ours.GetOrSetAsync(key, factory, static (f, ct) => new ValueTask<Profile>(f(ct))).AsTask()).ConfigureAwait(false);
        }

        using (var redis = new RedisServer())
        await using (var ours = Contestants.Ours(redis))
        {
            Contestants.WaitForRedis(ours);
            await Report("ours GetOrSetAsync (L1 + Redis)", (key, factory) => ours.GetOrSetAsync(key, factory, static (f, ct) => new ValueTask<Profile>(f(ct))).AsTask()).ConfigureAwait(false);
        }

        using (var fusion = Contestants.Fusion(redis: null))
        {
            await Report("FusionCache GetOrSetAsync", (key, factory) => fusion.GetOrSetAsync<Profile>(key, (_, ct) => factory(ct)).AsTask()).ConfigureAwait(false);
        }

        var (hybrid, services) = Contestants.Hybrid(redis: null);
        await using (services.ConfigureAwait(false))
        {
            await Report("HybridCache GetOrCreateAsync", (key, factory) => hybrid.GetOrCreateAsync(key, factory, static (f, ct) => new ValueTask<Profile>(f(ct))).AsTask()).ConfigureAwait(false);
        }
    }

    private static async Task Report(string name, Func<string, Func<CancellationToken, Task<Profile>>, Task<Profile>> call)
    {
        var value = Payloads.Immutable();
        var runs = 0;
        async Task<Profile> Factory(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref runs);
            await Task.Delay(FactoryTime, CancellationToken.None).ConfigureAwait(false);
            return value;
        }

        // One load on another key first: the first call's JIT and serializer warm-up are not what this measures.
        _ = await call("warm:" + Guid.NewGuid().ToString("N"), Factory).ConfigureAwait(false);
        runs = 0;

        var key = "stampede:" + Guid.NewGuid().ToString("N");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var callers = new Task<Profile>[Callers];
        for (var i = 0; i < callers.Length; i++)
        {
            callers[i] = Task.Run(async () =>
            {
                await gate.Task.ConfigureAwait(false);
                return await call(key, Factory).ConfigureAwait(false);
            });
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        gate.SetResult();
        var results = await Task.WhenAll(callers).ConfigureAwait(false);
        clock.Stop();
        var served = results.Count(r => r == value);
        Console.WriteLine($"| {name} | {runs.ToString("N0", CultureInfo.InvariantCulture)} | {served.ToString("N0", CultureInfo.InvariantCulture)} | {clock.ElapsedMilliseconds.ToString(CultureInfo.InvariantCulture)} ms |");
    }
}
