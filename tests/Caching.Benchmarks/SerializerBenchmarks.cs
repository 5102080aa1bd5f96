using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Caching.Serialization;

namespace Caching.Benchmarks;

/// <summary>
/// The cache's serializers on the suite's 207-byte payload (<see cref="Profile"/>): System.Text.Json with a
/// source-generated context (baseline) against MemoryPack (<see cref="MemoryPackCacheSerializer"/>), each through
/// the cache's own <see cref="ICacheSerializer"/> adapter, writing into a reused buffer as the cache's pooled writer
/// does. Serialize and deserialize are separate groups, each with its STJ baseline; "Payload (B)" is the size of
/// what Redis stores after the cache's header. Run: <c>./build.sh bench --filter '*SerializerBenchmarks*'</c>.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class SerializerBenchmarks
{
    private static readonly Profile Value = Payloads.Immutable();
    private static readonly ICacheSerializer Json = new SystemTextJsonCacheSerializer(new JsonSerializerOptions { TypeInfoResolver = BenchmarkJsonContext.Default });
    private static readonly ICacheSerializer MemoryPack = new MemoryPackCacheSerializer();
    private static readonly byte[] JsonBytes = Write(Json);
    private static readonly byte[] MemoryPackBytes = Write(MemoryPack);

    private readonly ArrayBufferWriter<byte> _buffer = new(1024);

    /// <summary>The payload size a benchmark method writes or reads.</summary>
    public static int PayloadBytes(string method) => method.StartsWith("Json", StringComparison.Ordinal) ? JsonBytes.Length : MemoryPackBytes.Length;

    [GlobalSetup]
    public void Setup()
    {
        // Measure what is claimed: the suite's 207 JSON bytes, and both serializers give the value back.
        if (JsonBytes.Length != Payloads.JsonLength(Value))
        {
            throw new InvalidOperationException($"The source-generated JSON is {JsonBytes.Length} bytes, the suite's payload {Payloads.JsonLength(Value)}.");
        }

        if (JsonDeserialize() != Value || MemoryPackDeserialize() != Value)
        {
            throw new InvalidOperationException("A serializer did not give the payload back.");
        }
    }

    [Benchmark(Baseline = true, Description = "STJ source-generated")]
    [BenchmarkCategory("Serialize")]
    public int JsonSerialize()
    {
        _buffer.ResetWrittenCount();
        Json.Serialize(_buffer, Value);
        return _buffer.WrittenCount;
    }

    [Benchmark(Description = "MemoryPack")]
    [BenchmarkCategory("Serialize")]
    public int MemoryPackSerialize()
    {
        _buffer.ResetWrittenCount();
        MemoryPack.Serialize(_buffer, Value);
        return _buffer.WrittenCount;
    }

    [Benchmark(Baseline = true, Description = "STJ source-generated")]
    [BenchmarkCategory("Deserialize")]
    public Profile JsonDeserialize() => Json.Deserialize<Profile>(JsonBytes);

    [Benchmark(Description = "MemoryPack")]
    [BenchmarkCategory("Deserialize")]
    public Profile MemoryPackDeserialize() => MemoryPack.Deserialize<Profile>(MemoryPackBytes);

    private static byte[] Write(ICacheSerializer serializer)
    {
        var buffer = new ArrayBufferWriter<byte>();
        serializer.Serialize(buffer, Value);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary><see cref="ShortCpuConfig"/> (synchronous work, timed by thread CPU time) with the payload size column.</summary>
    private sealed class Config : ShortConfig
    {
        public Config()
            : base(cpuTime: true) => AddColumn(new PayloadBytesColumn());
    }
}
