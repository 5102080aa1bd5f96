using System.Text;
using Caching.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;

namespace Caching.Runtime.Tests.Hybrid;

/// <summary>
/// HybridCache's documented behaviour, one row per implementation: this library (with and without Redis) and
/// Microsoft's DefaultHybridCache (with and without its Redis IDistributedCache on the same server), so a difference
/// shows as a failing row. Where an implementation departs from the documented behaviour, the row asserts what it
/// does instead and says why (<see cref="KnownDifferences"/>), so a change on either side fails the row.
/// </summary>
public sealed class HybridConformanceTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    private static readonly HybridCacheEntryOptions NoLocalRead = new() { Flags = HybridCacheEntryFlags.DisableLocalCacheRead };
    private static readonly HybridCacheEntryOptions NoLocalWrite = new() { Flags = HybridCacheEntryFlags.DisableLocalCacheWrite };
    private static readonly HybridCacheEntryOptions NoLocal = new() { Flags = HybridCacheEntryFlags.DisableLocalCache };
    private static readonly HybridCacheEntryOptions NoDistributedWrite = new() { Flags = HybridCacheEntryFlags.DisableDistributedCacheWrite };
    private static readonly HybridCacheEntryOptions NoDistributed = new() { Flags = HybridCacheEntryFlags.DisableDistributedCache };
    private static readonly HybridCacheEntryOptions NoReadsAnywhere = new() { Flags = HybridCacheEntryFlags.DisableLocalCacheRead | HybridCacheEntryFlags.DisableDistributedCacheRead };
    private static readonly HybridCacheEntryOptions CacheOnly = new() { Flags = HybridCacheEntryFlags.DisableUnderlyingData };
    private static readonly HybridCacheEntryOptions Uncompressed = new() { Flags = HybridCacheEntryFlags.DisableCompression };

    [Theory]
    [MemberData(nameof(HybridSubject.All), MemberType = typeof(HybridSubject))]
    public async Task Concurrent_callers_of_a_cold_key_share_one_factory_run(Implementation kind)
    {
        await using var subject = await HybridSubject.CreateAsync(kind, fixture.Redis);
        var runs = 0;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async ValueTask<UserProfile> Load(CancellationToken ct)
        {
            Interlocked.Increment(ref runs);
            await gate.Task;
            return new UserProfile("1", "A", 1);
        }

        var callers = Enumerable.Range(0, 100).Select(_ => Task.Run(() => subject.Cache.GetOrCreateAsync("hot", Load).AsTask())).ToArray();
        await Eventually.HoldsAsync(() => Task.FromResult(Volatile.Read(ref runs) > 0), TimeSpan.FromSeconds(5), "the first factory run");
        await Task.Delay(200);
        gate.SetResult();
        var results = await Task.WhenAll(callers);

        Assert.Equal(1, runs);
        Assert.All(results, r => Assert.Equal("A", r.Name));
    }

    [Theory]
    [MemberData(nameof(HybridSubject.All), MemberType = typeof(HybridSubject))]
    public async Task A_value_set_is_returned_without_running_the_factory(Implementation kind)
    {
        await using var subject = await HybridSubject.CreateAsync(kind, fixture.Redis);
        var source = new CountingSource<UserProfile>(new UserProfile("1", "from source", 1));
        await subject.Cache.SetAsync("user:1", new UserProfile("1", "set", 2));

        var value = await subject.Cache.GetOrCreateAsync("user:1", source.LoadAsync);

        Assert.Equal("set", value.Name);
        Assert.Equal(0, source.Runs);
    }

    [Theory]
    [MemberData(nameof(HybridSubject.All), MemberType = typeof(HybridSubject))]
    public async Task RemoveByTag_removes_the_entries_with_the_tag_and_keeps_the_others(Implementation kind)
    {
        await using var subject = await HybridSubject.CreateAsync(kind, fixture.Redis);
        var tagged = new CountingSource<string>("tagged");
        var otherTag = new CountingSource<string>("other");
        var setTagged = new CountingSource<string>("set again");
        await subject.Cache.GetOrCreateAsync("product:1", tagged.LoadAsync, tags: ["products", "tenant:7"]);
        await subject.Cache.GetOrCreateAsync("order:1", otherTag.LoadAsync, tags: ["orders"]);
        await subject.Cache.SetAsync("product:2", "set", tags: ["products"]);
        await subject.SettledAsync("product:2");

        await subject.Cache.RemoveByTagAsync("products");

        await subject.Cache.GetOrCreateAsync("product:1", tagged.LoadAsync, tags: ["products", "tenant:7"]);
        await subject.Cache.GetOrCreateAsync("order:1", otherTag.LoadAsync, tags: ["orders"]);
        Assert.Equal("set again", await subject.Cache.GetOrCreateAsync("product:2", setTagged.LoadAsync));
        Assert.Equal(2, tagged.Runs);
        Assert.Equal(1, otherTag.Runs);
        Assert.Equal(1, setTagged.Runs);
    }

    [Theory]
    [MemberData(nameof(HybridSubject.All), MemberType = typeof(HybridSubject))]
    public async Task RemoveByTag_of_several_tags_and_of_the_wildcard(Implementation kind)
    {
        await using var subject = await HybridSubject.CreateAsync(kind, fixture.Redis);
        var a = new CountingSource<string>("a");
        var b = new CountingSource<string>("b");
        var c = new CountingSource<string>("c");
        async Task LoadAll()
        {
            await subject.Cache.GetOrCreateAsync("k:a", a.LoadAsync, tags: ["ta"]);
            await subject.Cache.GetOrCreateAsync("k:b", b.LoadAsync, tags: ["tb"]);
            await subject.Cache.GetOrCreateAsync("k:c", c.LoadAsync);
        }

        await LoadAll();

        // An empty tag, or none, removes nothing.
        await subject.Cache.RemoveByTagAsync(" ");
        await subject.Cache.RemoveByTagAsync((IEnumerable<string>)null!);
        await LoadAll();
        Assert.Equal((1, 1, 1), (a.Runs, b.Runs, c.Runs));

        await subject.Cache.RemoveByTagAsync(["ta", "tb"]);
        await LoadAll();
        Assert.Equal((2, 2, 1), (a.Runs, b.Runs, c.Runs));

        // "*" is every entry, tagged or not. (Nothing is asserted about the call after a reload: see
        // KnownDifferences.OursMayNotCacheALoadRightAfterAnInvalidation.)
        await subject.Cache.RemoveByTagAsync("*");
        await LoadAll();
        Assert.Equal((3, 3, 2), (a.Runs, b.Runs, c.Runs));
    }

    [Theory]
    [MemberData(nameof(HybridSubject.All), MemberType = typeof(HybridSubject))]
    public async Task Tags_cannot_be_empty_or_the_wildcard(Implementation kind)
    {
        await using var subject = await HybridSubject.CreateAsync(kind, fixture.Redis);
        var source = new CountingSource<string>("v");

        await Assert.ThrowsAsync<ArgumentException>(() => subject.Cache.GetOrCreateAsync("k", source.LoadAsync, tags: [""]).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => subject.Cache.GetOrCreateAsync("k", source.LoadAsync, tags: ["*"]).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => subject.Cache.SetAsync("k", "v", tags: ["*"]).AsTask());
    }

    [Theory]
    [MemberData(nameof(HybridSubject.All), MemberType = typeof(HybridSubject))]
    public async Task RemoveAsync_of_one_key_and_of_several(Implementation kind)
    {
        await using var subject = await HybridSubject.CreateAsync(kind, fixture.Redis);
        var sources = Enumerable.Range(0, 4).Select(i => new CountingSource<string>("v" + i)).ToArray();
        async Task LoadAll()
        {
            for (var i = 0; i < sources.Length; i++)
            {
                await subject.Cache.GetOrCreateAsync("key:" + i, sources[i].LoadAsync);
                await subject.SettledAsync("key:" + i);
            }
        }

        await LoadAll();
        await subject.Cache.RemoveAsync("key:0");
        await subject.Cache.RemoveAsync(["key:1", "key:2"]);
        await subject.Cache.RemoveAsync((IEnumerable<string>)null!);
        await LoadAll();

        Assert.Equal([2, 2, 2, 1], sources.Select(s => s.Runs));
    }

    [Theory]
    [MemberData(nameof(HybridSubject.All), MemberType = typeof(HybridSubject))]
    public async Task DisableLocalCacheRead_skips_L1_but_reads_the_distributed_cache_and_writes_L1(Implementation kind)
    {
        await using var subject = await HybridSubject.CreateAsync(kind, fixture.Redis);
        await subject.Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("first"));
        await subject.SettledAsync("k");

        var second = await subject.Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("second"), NoLocalRead);
        var third = await subject.Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("third"));

        // With a distributed cache the value comes from it; without one, the factory runs and its value is the new L1 entry.
        Assert.Equal(subject.HasRedis ? "first" : "second", second);
        Assert.Equal(subject.HasRedis ? "first" : "second", third);
    }

    [Theory]
    [MemberData(nameof(HybridSubject.All), MemberType = typeof(HybridSubject))]
    public async Task DisableLocalCacheWrite_keeps_the_value_out_of_L1_only(Implementation kind)
    {
        await using var subject = await HybridSubject.CreateAsync(kind, fixture.Redis);
        await subject.Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("first"), NoLocalWrite);
        await subject.SettledAsync("k");

        var second = await subject.Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("second"));

        Assert.Equal(subject.HasRedis ? "first" : "second", second);
    }

    [Theory]
    [MemberData(nameof(HybridSubject.All), MemberType = typeof(HybridSubject))]
    public async Task DisableLocalCache_neither_reads_nor_writes_L1(Implementation kind)
    {
        await using var subject = await HybridSubject.CreateAsync(kind, fixture.Redis);
        var source = new CountingSource<string>("v");
        await subject.Cache.GetOrCreateAsync("k", source.LoadAsync, NoLocal);
        await subject.SettledAsync("k");
        await subject.Cache.GetOrCreateAsync("k", source.LoadAsync, NoLocal);

        Assert.Equal(subject.HasRedis ? 1 : 2, source.Runs);
    }

    [Theory]
    [MemberData(nameof(HybridSubject.All), MemberType = typeof(HybridSubject))]
    public async Task DisableDistributedCacheRead_with_no_L1_read_runs_the_factory_and_stores_its_value(Implementation kind)
    {
        await using var subject = await HybridSubject.CreateAsync(kind, fixture.Redis);
        await subject.Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("first"));
        await subject.SettledAsync("k");

        var second = await subject.Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("second"), NoReadsAnywhere);
        var third = await subject.Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("third"));

        Assert.Equal("second", second);
        Assert.Equal("second", third);
    }

    [Theory]
    [MemberData(nameof(HybridSubject.WithRedis), MemberType = typeof(HybridSubject))]
    public async Task A_second_node_reads_the_first_nodes_value_from_the_distributed_cache(Implementation kind)
    {
        await using var nodeA = await HybridSubject.CreateAsync(kind, fixture.Redis);
        await using var nodeB = await HybridSubject.CreateAsync(kind, fixture.Redis, nodeA.Prefix);
        var onB = new CountingSource<string>("from B");
        await nodeA.Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("from A"));
        await nodeA.SettledAsync("k");

        Assert.Equal("from A", await nodeB.Cache.GetOrCreateAsync("k", onB.LoadAsync));
        Assert.Equal(0, onB.Runs);
    }

    [Theory]
    [MemberData(nameof(HybridSubject.WithRedis), MemberType = typeof(HybridSubject))]
    public async Task DisableDistributedCacheWrite_and_DisableDistributedCache_keep_the_value_from_other_nodes(Implementation kind)
    {
        await using var nodeA = await HybridSubject.CreateAsync(kind, fixture.Redis);
        await using var nodeB = await HybridSubject.CreateAsync(kind, fixture.Redis, nodeA.Prefix);
        await nodeA.Cache.GetOrCreateAsync("written-locally", _ => ValueTask.FromResult("A"), NoDistributedWrite);
        await nodeA.Cache.GetOrCreateAsync("local-only", _ => ValueTask.FromResult("A"), NoDistributed);
        await Task.Delay(200);

        Assert.Null(await nodeA.RedisBytesAsync("written-locally"));
        Assert.Null(await nodeA.RedisBytesAsync("local-only"));
        Assert.Equal("B", await nodeB.Cache.GetOrCreateAsync("written-locally", _ => ValueTask.FromResult("B")));
        Assert.Equal("B", await nodeB.Cache.GetOrCreateAsync("local-only", _ => ValueTask.FromResult("B")));

        // Node A's L1 still serves its own value (written to L1, not read from the distributed cache).
        Assert.Equal("A", await nodeA.Cache.GetOrCreateAsync("local-only", _ => ValueTask.FromResult("again"), NoDistributed));
    }

    [Theory]
    [MemberData(nameof(HybridSubject.All), MemberType = typeof(HybridSubject))]
    public async Task DisableUnderlyingData_returns_default_on_a_miss_and_stores_nothing(Implementation kind)
    {
        await using var subject = await HybridSubject.CreateAsync(kind, fixture.Redis);
        var source = new CountingSource<string>("loaded");

        Assert.Null(await subject.Cache.GetOrCreateAsync("k", source.LoadAsync, CacheOnly));
        Assert.Equal(0, await subject.Cache.GetOrCreateAsync("n", _ => ValueTask.FromResult(42), CacheOnly));
        Assert.Equal(0, source.Runs);

        Assert.Equal("loaded", await subject.Cache.GetOrCreateAsync("k", source.LoadAsync));
        Assert.Equal(1, source.Runs);
        Assert.Equal("loaded", await subject.Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("not asked"), CacheOnly));
    }

    [Theory]
    [MemberData(nameof(HybridSubject.All), MemberType = typeof(HybridSubject))]
    public async Task DisableCompression_stores_the_payload_as_the_serializer_wrote_it(Implementation kind)
    {
        await using var subject = await HybridSubject.CreateAsync(kind, fixture.Redis);
        var text = string.Concat(Enumerable.Repeat("compressible ", 200));
        var value = await subject.Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult(new UserProfile("1", text, 1)), Uncompressed);
        await subject.SettledAsync("k");

        Assert.Equal(text, value.Name);
        Assert.Equal(text, (await subject.Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult(new UserProfile("1", "other", 1)), Uncompressed)).Name);
        if (subject.HasRedis)
        {
            var stored = await subject.RedisBytesAsync("k");
            Assert.Contains(text, Encoding.UTF8.GetString(stored!), StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(HybridSubject.All), MemberType = typeof(HybridSubject))]
    public async Task A_registered_IHybridCacheSerializer_serializes_its_type(Implementation kind)
    {
        var serializer = new MarkedSerializer<MutableProfile>("per-type:");
        await using var subject = await HybridSubject.CreateAsync(kind, fixture.Redis, register: s => s.AddSingleton<IHybridCacheSerializer<MutableProfile>>(serializer));

        await subject.Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult(new MutableProfile { Id = "1", Roles = ["admin"] }));
        await subject.SettledAsync("k");
        var deserializedBefore = serializer.Deserialized;
        var hit = await subject.Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult(new MutableProfile { Id = "other" }));

        Assert.Equal("1", hit.Id);
        Assert.True(serializer.Serialized >= 1);
        Assert.True(serializer.Deserialized > deserializedBefore, "a hit of a mutable type is a copy made by the registered serializer");
        if (subject.HasRedis)
        {
            Assert.Contains("per-type:", Encoding.UTF8.GetString((await subject.RedisBytesAsync("k"))!), StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(HybridSubject.All), MemberType = typeof(HybridSubject))]
    public async Task Serializer_lookup_order_is_the_type_then_the_factories_last_registered_first(Implementation kind)
    {
        var first = new MarkedSerializerFactory("first:", _ => true);
        var declining = new MarkedSerializerFactory("declining:", t => t != typeof(MutableProfile));
        var perType = new MarkedSerializer<UserProfile>("per-type:");
        await using var subject = await HybridSubject.CreateAsync(kind, fixture.Redis, register: s =>
        {
            s.AddSingleton<IHybridCacheSerializerFactory>(first);
            s.AddSingleton<IHybridCacheSerializerFactory>(declining);
            s.AddSingleton<IHybridCacheSerializer<UserProfile>>(perType);
        });

        await subject.Cache.GetOrCreateAsync("mutable", _ => ValueTask.FromResult(new MutableProfile { Id = "1" }));
        await subject.Cache.GetOrCreateAsync("list", _ => ValueTask.FromResult(new List<int> { 1, 2 }));
        await subject.Cache.GetOrCreateAsync("profile", _ => ValueTask.FromResult(new UserProfile("1", "n", 1)));
        await subject.Cache.GetOrCreateAsync("list", _ => ValueTask.FromResult(new List<int>()));

        // The type's own serializer wins over every factory; factories are asked last-registered first, and one
        // that declines passes the type on.
        Assert.True(perType.Serialized >= 1);
        Assert.Null(first.CreatedFor<UserProfile>());
        Assert.Null(declining.CreatedFor<UserProfile>());
        Assert.NotNull(declining.CreatedFor<List<int>>());
        Assert.Null(first.CreatedFor<List<int>>());
        Assert.NotNull(first.CreatedFor<MutableProfile>());
        Assert.True(first.CreatedFor<MutableProfile>()!.Serialized >= 1);
        Assert.True(declining.CreatedFor<List<int>>()!.Serialized >= 1);
    }

    [Theory]
    [MemberData(nameof(HybridSubject.All), MemberType = typeof(HybridSubject))]
    public async Task A_value_over_MaximumPayloadBytes_is_returned_but_not_cached(Implementation kind)
    {
        await using var subject = await HybridSubject.CreateAsync(kind, fixture.Redis, maximumPayloadBytes: 1024);
        var big = new CountingSource<MutableProfile>(new MutableProfile { Id = new string('x', 4000) });
        var small = new CountingSource<MutableProfile>(new MutableProfile { Id = "small" });

        Assert.Equal(4000, (await subject.Cache.GetOrCreateAsync("big", big.LoadAsync)).Id.Length);
        Assert.Equal(4000, (await subject.Cache.GetOrCreateAsync("big", big.LoadAsync)).Id.Length);
        await subject.Cache.GetOrCreateAsync("small", small.LoadAsync);
        await subject.Cache.GetOrCreateAsync("small", small.LoadAsync);

        Assert.Equal(1, small.Runs);
        if (subject.IsMicrosoft)
        {
            // KnownDifferences.MicrosoftKeepsOversizedValuesInL1
            Assert.Equal(1, big.Runs);
        }
        else
        {
            Assert.Equal(2, big.Runs);
        }

        Assert.Null(await subject.RedisBytesAsync("big"));
    }

    [Theory]
    [MemberData(nameof(HybridSubject.All), MemberType = typeof(HybridSubject))]
    public async Task Keys_too_long_empty_or_with_control_characters_are_not_cached(Implementation kind)
    {
        await using var subject = await HybridSubject.CreateAsync(kind, fixture.Redis, maximumKeyLength: 64);
        foreach (var key in new[] { new string('k', 65), string.Empty, "  ", "a\u0001b" })
        {
            var source = new CountingSource<string>("v");
            Assert.Equal("v", await subject.Cache.GetOrCreateAsync(key, source.LoadAsync));
            Assert.Equal("v", await subject.Cache.GetOrCreateAsync(key, source.LoadAsync));
            Assert.Equal(2, source.Runs);
        }

        var atLimit = new CountingSource<string>("v");
        await subject.Cache.GetOrCreateAsync(new string('k', 64), atLimit.LoadAsync);
        await subject.Cache.GetOrCreateAsync(new string('k', 64), atLimit.LoadAsync);
        Assert.Equal(1, atLimit.Runs);
        Assert.Null(await subject.Cache.GetOrCreateAsync(new string('k', 65), _ => ValueTask.FromResult<string?>("not asked"), CacheOnly));
    }

    [Theory]
    [MemberData(nameof(HybridSubject.All), MemberType = typeof(HybridSubject))]
    public async Task A_cancelled_caller_does_not_cancel_the_factory_for_the_others(Implementation kind)
    {
        await using var subject = await HybridSubject.CreateAsync(kind, fixture.Redis);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = 0;
        var factoryToken = CancellationToken.None;
        async ValueTask<string> Load(CancellationToken ct)
        {
            factoryToken = ct;
            Interlocked.Increment(ref runs);
            await gate.Task.WaitAsync(ct);
            return "loaded";
        }

        using var impatient = new CancellationTokenSource();
        var cancelled = subject.Cache.GetOrCreateAsync("k", Load, cancellationToken: impatient.Token).AsTask();
        await Eventually.HoldsAsync(() => Task.FromResult(Volatile.Read(ref runs) == 1), TimeSpan.FromSeconds(5), "the factory starting");
        var patient = subject.Cache.GetOrCreateAsync("k", Load).AsTask();
        await impatient.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.False(factoryToken.IsCancellationRequested);
        gate.SetResult();
        Assert.Equal("loaded", await patient);
        Assert.Equal(1, runs);
    }

    [Theory]
    [MemberData(nameof(HybridSubject.All), MemberType = typeof(HybridSubject))]
    public async Task A_caller_already_cancelled_gets_OperationCanceledException_even_for_a_cached_key(Implementation kind)
    {
        await using var subject = await HybridSubject.CreateAsync(kind, fixture.Redis);
        await subject.Cache.SetAsync("k", "cached");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => subject.Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("v"), cancellationToken: cancelled.Token).AsTask());
    }

    [Theory]
    [MemberData(nameof(HybridSubject.All), MemberType = typeof(HybridSubject))]
    public async Task When_every_caller_cancels(Implementation kind)
    {
        await using var subject = await HybridSubject.CreateAsync(kind, fixture.Redis);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = 0;
        var factoryToken = CancellationToken.None;
        async ValueTask<string> Load(CancellationToken ct)
        {
            factoryToken = ct;
            Interlocked.Increment(ref runs);
            await gate.Task.WaitAsync(ct);
            return "loaded";
        }

        using var first = new CancellationTokenSource();
        using var second = new CancellationTokenSource();
        var callers = new[]
        {
            subject.Cache.GetOrCreateAsync("k", Load, cancellationToken: first.Token).AsTask(),
            subject.Cache.GetOrCreateAsync("k", Load, cancellationToken: second.Token).AsTask(),
        };
        await Eventually.HoldsAsync(() => Task.FromResult(Volatile.Read(ref runs) == 1), TimeSpan.FromSeconds(5), "the factory starting");
        await first.CancelAsync();
        await second.CancelAsync();
        foreach (var caller in callers)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => caller);
        }

        if (subject.IsMicrosoft)
        {
            // KnownDifferences.OursFinishesALoadEveryCallerLeft: Microsoft cancels the factory with its last caller.
            await Eventually.HoldsAsync(() => Task.FromResult(factoryToken.IsCancellationRequested), TimeSpan.FromSeconds(5), "Microsoft cancelling the factory");
            return;
        }

        Assert.False(factoryToken.IsCancellationRequested);
        gate.SetResult();
        await Eventually.HoldsAsync(async () => await subject.Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("not cached"), CacheOnly) == "loaded", TimeSpan.FromSeconds(5), "the finished load being cached");
        Assert.Equal(1, runs);
    }

    [Theory]
    [MemberData(nameof(HybridSubject.All), MemberType = typeof(HybridSubject))]
    public async Task A_null_from_the_factory_is_cached(Implementation kind)
    {
        await using var subject = await HybridSubject.CreateAsync(kind, fixture.Redis);
        var source = new CountingSource<UserProfile?>(null);

        Assert.Null(await subject.Cache.GetOrCreateAsync("missing", source.LoadAsync));
        await subject.SettledAsync("missing");
        Assert.Null(await subject.Cache.GetOrCreateAsync("missing", source.LoadAsync));
        Assert.Equal(1, source.Runs);
    }

    [Theory]
    [MemberData(nameof(HybridSubject.All), MemberType = typeof(HybridSubject))]
    public async Task A_mutable_value_is_a_copy_per_call(Implementation kind)
    {
        await using var subject = await HybridSubject.CreateAsync(kind, fixture.Redis);
        var first = await subject.Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult(new MutableProfile { Id = "1", Roles = ["reader"] }));
        first.Roles.Add("changed by a caller");

        var second = await subject.Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult(new MutableProfile()));
        second.Roles.Add("changed by another caller");
        var third = await subject.Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult(new MutableProfile()));

        Assert.Equal(["reader"], third.Roles);
        Assert.NotSame(second, third);
    }

    [Theory]
    [MemberData(nameof(HybridSubject.All), MemberType = typeof(HybridSubject))]
    public async Task The_state_overload_passes_the_state_to_the_factory(Implementation kind)
    {
        await using var subject = await HybridSubject.CreateAsync(kind, fixture.Redis);
        var state = (Id: "42", Name: "from state");

        var value = await subject.Cache.GetOrCreateAsync("user:42", state, static (s, _) => ValueTask.FromResult(new UserProfile(s.Id, s.Name, 1)));
        var again = await subject.Cache.GetOrCreateAsync("user:42", ("0", "other"), static (s, _) => ValueTask.FromResult(new UserProfile(s.Item1, s.Item2, 2)));

        Assert.Equal(new UserProfile("42", "from state", 1), value);
        Assert.Equal(value, again);
    }
}
