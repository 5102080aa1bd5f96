using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using Caching.Internal;
using Microsoft.Extensions.Caching.Memory;

namespace Caching.Benchmarks;

/// <summary>
/// Where our L1-only miss spends its time: the pieces of <c>GetOrSet</c> on a fresh key measured one by one (the
/// L1 write with its size accounting, the envelope serialization, the single-flight bookkeeping), against raw
/// MemoryCache.GetOrCreate and the full call. Not part of the default run: <c>./build.sh bench --filter '*MissPath*'</c>.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ShortCpuConfig))]
[InvocationCount(Invocations, 16)]
public class MissPathAnatomyBenchmarks
{
    private const int Invocations = 8_192;
    private static readonly CacheEntryOptions OursOptions = new();
    private static long s_keySequence;

    private readonly Profile _value = Payloads.Immutable();
    private readonly SystemTextJsonCacheSerializer _serializer = new();
    private readonly ConcurrentDictionary<string, object> _flights = new(StringComparer.Ordinal);
    private string[] _keys = [];
    private int _next;
    private MemoryCache _raw = null!;
    private LocalCache _local = null!;
    private MultiLayerCache _ours = null!;

    [IterationSetup]
    public void PrepareIteration()
    {
        DisposeCaches();
        _raw = Contestants.RawMemory();
        _local = new LocalCache(100L * 1024 * 1024, TimeSpan.FromMinutes(1));
        _ours = Contestants.Ours(redis: null);
        _keys = new string[Invocations];
        for (var i = 0; i < _keys.Length; i++)
        {
            _keys[i] = "item:" + Interlocked.Increment(ref s_keySequence).ToString(System.Globalization.CultureInfo.InvariantCulture) + ":profile";
        }

        _next = 0;
    }

    [GlobalCleanup]
    public void DisposeCaches()
    {
        _raw?.Dispose();
        _local?.Dispose();
        _ours?.Dispose();
    }

    [Benchmark(Baseline = true, Description = "raw MemoryCache.Set (fresh key)")]
    public object Raw() => _raw.Set(_keys[_next++], _value, Contestants.LocalTtl);

    [Benchmark(Description = "L1 LocalCache.Set of a LocalEntry (size limit, statistics)")]
    public void LocalSet() => _local.Set(_keys[_next++], new LocalEntry(_value, null, false, null, 0, long.MaxValue), 231, Contestants.LocalTtl);

    [Benchmark(Description = "CacheEnvelope.Write (System.Text.Json, 24-byte header)")]
    public byte[] Envelope()
    {
        _next++;
        return CacheEnvelope.Write(_serializer, _value, 42, 0, 1, null);
    }

    [Benchmark(Description = "same bytes via ArrayBufferWriter(256) + ToArray")]
    public byte[] EnvelopeArrayBufferWriter()
    {
        _next++;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        buffer.GetSpan(CacheEnvelope.HeaderLength)[..CacheEnvelope.HeaderLength].Clear();
        buffer.Advance(CacheEnvelope.HeaderLength);
        _serializer.Serialize(buffer, _value);
        return buffer.WrittenSpan.ToArray();
    }

    [Benchmark(Description = "single-flight: TaskCompletionSource + dictionary add/remove")]
    public bool Flight()
    {
        var key = _keys[_next++];
        var flight = new TaskCompletionSource<Profile>(TaskCreationOptions.RunContinuationsAsynchronously);
        _flights.GetOrAdd(key, flight);
        flight.TrySetResult(_value);
        return _flights.TryRemove(new KeyValuePair<string, object>(key, flight));
    }

    [Benchmark(Description = "ours GetOrSet (sync), fresh key")]
    public Profile Ours() => _ours.GetOrSet(_keys[_next++], this, static self => self._value, OursOptions);
}
