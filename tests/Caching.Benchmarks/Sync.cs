namespace Caching.Benchmarks;

/// <summary>
/// Every async API is measured the way a caller on a hot path sees it: an L1 hit completes synchronously, so the
/// result is read without awaiting (awaiting a completed ValueTask would add the same cost to every contestant).
/// </summary>
internal static class Sync
{
    public static T Result<T>(ValueTask<T> task) => task.IsCompletedSuccessfully ? task.Result : task.AsTask().GetAwaiter().GetResult();
}
