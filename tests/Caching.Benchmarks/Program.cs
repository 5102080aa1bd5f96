using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Caching.Benchmarks;

// ./build.sh bench                 everything: the BenchmarkDotNet comparisons, then memory, stampede and commands
// ./build.sh bench memory [N]      retained heap per L1 entry (default N = 100,000)
// ./build.sh bench stampede        1,000 concurrent callers on one cold key
// ./build.sh bench commands        Redis commands per L2 hit
// ./build.sh bench --filter '*L1Hit*'   any BenchmarkDotNet arguments select among the comparisons
// ./build.sh bench --filter '*MultiThreaded*'   cores and 4x cores threads on 1,000 hot keys, all hits or 10 % misses
// ./build.sh bench --filter '*SeedMix*'   the seed's 90 % L1 / 9 % Redis / 1 % 50 ms source mix, mean per call
// ./build.sh bench --filter '*Anatomy*' '*Clock*'   where our L1 hit and miss spend their time (not in the default run)
// ./build.sh bench --filter '*SerializerBenchmarks*'   STJ (source-generated) vs MemoryPack on the 207-byte payload (not in the default run)
// ./build.sh bench invalidation [BDN args]   pattern/tag invalidation among 10k-1M unrelated keys (not in the default run,
//                                            the same as --filter '*InvalidationCost*'; INVALIDATION_BENCH_KEYS=10000 picks N)
var config = DefaultConfig.Instance.WithArtifactsPath(Path.Combine(Directory.GetCurrentDirectory(), "artifacts", "benchmarks"));
switch (args.FirstOrDefault())
{
    case "memory":
        RetainedMemory.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : RetainedMemory.DefaultEntries);
        break;
    case "stampede":
        await Stampede.RunAsync().ConfigureAwait(false);
        break;
    case "commands":
        await RedisCommandCount.RunAsync().ConfigureAwait(false);
        break;
    case "invalidation":
        // Its own redis-server per case, filled once with DEBUG POPULATE; ~3-6 minutes with 1M keys, so not in the default run.
        BenchmarkRunner.Run(typeof(InvalidationCostBenchmarks), config, args[1..]);
        break;
    case null:
        // One BenchmarkDotNet run (and one summary table, with its own raw baseline) per comparison.
        BenchmarkRunner.Run([typeof(ProcessWarmUpBenchmarks), typeof(L1HitImmutableBenchmarks), typeof(L1HitCopyBenchmarks), typeof(L2HitBenchmarks), typeof(MissBenchmarks), typeof(MultiThreadedBenchmarks), typeof(SeedMixBenchmarks)], config);
        RetainedMemory.Run(RetainedMemory.DefaultEntries);
        await Stampede.RunAsync().ConfigureAwait(false);
        await RedisCommandCount.RunAsync().ConfigureAwait(false);
        break;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        break;
}
