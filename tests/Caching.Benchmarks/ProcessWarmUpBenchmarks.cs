using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Caching.Memory;

namespace Caching.Benchmarks;

/// <summary>
/// Runs first and is to be ignored. With the in-process toolchain the first benchmark of a run shares its process's
/// start-up (JIT tiering of BenchmarkDotNet's engine and of the runtime libraries, the host settling): on the shared
/// machine that made whichever benchmark came first look 3-5× slower. This class absorbs that.
/// </summary>
[Config(typeof(ShortCpuConfig))]
public class ProcessWarmUpBenchmarks
{
    private const string Key = "warm-up";
    private MemoryCache _cache = null!;

    [GlobalSetup]
    public void Setup()
    {
        _cache = Contestants.RawMemory();
        _cache.Set(Key, Payloads.Immutable(), Contestants.LocalTtl);
    }

    [GlobalCleanup]
    public void Cleanup() => _cache.Dispose();

    [Benchmark(Description = "process warm-up (ignore)")]
    public object? WarmUp() => _cache.TryGetValue(Key, out var value) ? value : null;
}
