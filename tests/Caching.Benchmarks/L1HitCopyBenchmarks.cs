using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using ZiggyCreatures.Caching.Fusion;

namespace Caching.Benchmarks;

/// <summary>
/// DESIGN "L1 hit, mutable type, caller gets a safe copy". Ours copies (<see cref="ValueSharing.Copy"/>), HybridCache
/// deserializes a mutable type on every hit, FusionCache shares by default (shown both ways: shared, and with its
/// AutoClone). The baseline is what a generated copier costs: MemoryCache.TryGetValue plus a member-wise copy;
/// "raw + JSON copy" is the same lookup with a System.Text.Json deserialize. Target: ours ≤ 150 ns.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ShortCpuConfig))]
public class L1HitCopyBenchmarks
{
    private const string Key = "user:42:settings";
    private const string CopierKey = "user:42:settings:copier";
    private static readonly CacheEntryOptions OursOptions = new() { Sharing = ValueSharing.Copy };

    // What the generator emits for MutableProfile (a member-wise copy), handed to the runtime as a copier.
    private static readonly CacheEntryOptions OursCopierOptions = new() { Sharing = ValueSharing.Copy, Copier = new CacheValueCopier<MutableProfile>(static p => p.Copy()) };

    private readonly MutableProfile _value = Payloads.Mutable();
    private readonly Func<FusionCacheFactoryExecutionContext<MutableProfile>, CancellationToken, Task<MutableProfile>> _fusionFactory;
    private readonly FusionCacheEntryOptions _fusionCloneOptions = new() { Duration = Contestants.LocalTtl, EnableAutoClone = true };
    private MemoryCache _raw = null!;
    private MemoryCache _rawJson = null!;
    private MultiLayerCache _ours = null!;
    private IProfileSettings _decorated = null!;
    private FusionCache _fusion = null!;
    private FusionCache _fusionClone = null!;
    private HybridCache _hybrid = null!;
    private ServiceProvider _hybridServices = null!;

    public L1HitCopyBenchmarks() => _fusionFactory = (_, _) => Task.FromResult(_value);

    [GlobalSetup]
    public void Setup()
    {
        _raw = Contestants.RawMemory();
        _raw.Set(Key, _value, Contestants.LocalTtl);
        _rawJson = Contestants.RawMemory();
        _rawJson.Set(Key, JsonSerializer.SerializeToUtf8Bytes(_value), Contestants.LocalTtl);

        _ours = Contestants.Ours(redis: null);
        _ = _ours.GetOrSet(Key, _value, static v => v, OursOptions);
        _ = _ours.GetOrSet(CopierKey, _value, static v => v, OursCopierOptions);
        _decorated = new ProfileSettingsCachingDecorator(new ProfileSettings(_value), _ours);
        _ = Sync.Result(_decorated.GetAsync("42"));

        _fusion = Contestants.Fusion(redis: null);
        _ = _fusion.GetOrSet(Key, _ => _value);

        // AutoClone clones through a serializer; SetupSerializer gives it one without a distributed cache.
        _fusionClone = Contestants.Fusion(redis: null);
        _fusionClone.SetupSerializer(new ZiggyCreatures.Caching.Fusion.Serialization.SystemTextJson.FusionCacheSystemTextJsonSerializer());
        _ = _fusionClone.GetOrSet(Key, _ => _value, _fusionCloneOptions);

        (_hybrid, _hybridServices) = Contestants.Hybrid(redis: null);
        _ = Sync.Result(_hybrid.GetOrCreateAsync(Key, _value, static (v, _) => ValueTask.FromResult(v)));

        Check.Copy(_value, RawCopy(), nameof(RawCopy));
        Check.Copy(_value, RawJson(), nameof(RawJson));
        Check.Copy(_value, OursAsync(), nameof(OursAsync));
        Check.Copy(_value, OursSync(), nameof(OursSync));
        Check.Copy(_value, OursCopier(), nameof(OursCopier));
        Check.Copy(_value, OursGenerated(), nameof(OursGenerated));
        Check.Same(_value, FusionShared(), nameof(FusionShared));
        Check.Copy(_value, FusionAutoClone(), nameof(FusionAutoClone));
        Check.Copy(_value, HybridAsync(), nameof(HybridAsync));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _raw.Dispose();
        _rawJson.Dispose();
        _ours.Dispose();
        _fusion.Dispose();
        _fusionClone.Dispose();
        _hybridServices.Dispose();
    }

    [Benchmark(Baseline = true, Description = "raw TryGetValue + member-wise copy")]
    public MutableProfile? RawCopy() => _raw.TryGetValue(Key, out var value) ? ((MutableProfile)value!).Copy() : null;

    [Benchmark(Description = "raw TryGetValue + JSON deserialize")]
    public MutableProfile? RawJson() => _rawJson.TryGetValue(Key, out var value) ? JsonSerializer.Deserialize<MutableProfile>((byte[])value!) : null;

    [Benchmark(Description = "ours GetOrSetAsync, Copy")]
    public MutableProfile OursAsync() => Sync.Result(_ours.GetOrSetAsync(Key, this, static (self, _) => ValueTask.FromResult(self._value), OursOptions));

    [Benchmark(Description = "ours GetOrSet (sync), Copy")]
    public MutableProfile OursSync() => _ours.GetOrSet(Key, this, static self => self._value, OursOptions);

    [Benchmark(Description = "ours GetOrSetAsync, Copier")]
    public MutableProfile OursCopier() => Sync.Result(_ours.GetOrSetAsync(CopierKey, this, static (self, _) => ValueTask.FromResult(self._value), OursCopierOptions));

    [Benchmark(Description = "ours generated decorator (key built per call, generated copy)")]
    public MutableProfile OursGenerated() => Sync.Result(_decorated.GetAsync("42"));

    [Benchmark(Description = "FusionCache GetOrSetAsync (shares!)")]
    public MutableProfile FusionShared() => Sync.Result(_fusion.GetOrSetAsync<MutableProfile>(Key, _fusionFactory));

    [Benchmark(Description = "FusionCache GetOrSetAsync, AutoClone")]
    public MutableProfile FusionAutoClone() => Sync.Result(_fusionClone.GetOrSetAsync<MutableProfile>(Key, _fusionFactory, options: _fusionCloneOptions));

    [Benchmark(Description = "HybridCache GetOrCreateAsync (deserializes)")]
    public MutableProfile HybridAsync() => Sync.Result(_hybrid.GetOrCreateAsync(Key, this, static (self, _) => ValueTask.FromResult(self._value)));
}

/// <summary>The settings source of the generated-decorator row: its [Cached] result type is mutable, so it gets a generated copy.</summary>
public interface IProfileSettings
{
    /// <summary>One user's settings.</summary>
    [Cached("user:{id}:decorated")]
    ValueTask<MutableProfile> GetAsync(string id);
}

internal sealed class ProfileSettings(MutableProfile value) : IProfileSettings
{
    public ValueTask<MutableProfile> GetAsync(string id) => ValueTask.FromResult(value);
}
