using System.Runtime.CompilerServices;
using Caching.Internal;
using Microsoft.Extensions.Logging;

namespace Caching.Invalidation;

/// <summary>A load's start: its stamp and the clock era it was taken in.</summary>
internal readonly record struct LoadTicket(long Stamp, int Era);

/// <summary>
/// The owner of the invalidation protocol (see readme.md beside this file): it marks invalidations, applies them to
/// this node's knowledge and L1, then to Redis, then publishes them; it queues what could not reach Redis and replays
/// it; it applies what other nodes publish; and it answers the read and write paths' one question, "may I use (or
/// store) this entry?", at a cost that does not depend on how many invalidations happened.
/// </summary>
internal sealed class InvalidationCoordinator : IAsyncDisposable
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan CalibrationInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan TombstoneSlack = TimeSpan.FromSeconds(1);

    // A load within two error bounds after an invalidation is not stored, so a loose bound costs hit ratio. The first
    // TIME replies of a process are slow (JIT, script load, a cold connection: 3-9 ms of bound on an idle machine, up
    // to 500 ms on a busy one), so a calibration samples until the bound is tight: within 1 ms, or, once a few samples
    // were taken, within twice the best one (a Redis far away cannot do better). A clock still loose after that tries
    // again a second later instead of five.
    private const long TightErrorUs = 1_000;
    private const int SamplesPerCalibration = 4;
    private static readonly TimeSpan LooseCalibrationInterval = TimeSpan.FromSeconds(1);

    private readonly MultiLayerCacheOptions _options;
    private readonly LocalCache? _local;
    private readonly RedisLayer? _redis;
    private readonly ILogger _logger;
    private readonly CacheMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly LogEpisodes _logEpisodes;
    private readonly string _instanceId;
    private readonly RecentRemovals _removals;
    private readonly PendingInvalidations _pending;
    private readonly SemaphoreSlim _replayGate = new(1, 1);
    private readonly CancellationTokenSource _lifetime = new();
    private readonly ITimer _timer;
    private readonly long _windowUs;
    private readonly long _markTtlMs;
    private readonly PatternIndex _index;
    private readonly TaskCompletionSource _calibrated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _nextCalibrationTimestamp;
    private int _outageLogged;

    public InvalidationCoordinator(MultiLayerCacheOptions options, PatternIndex index, LocalCache? local, RedisLayer? redis, ILogger logger, CacheMetrics metrics, TimeProvider time, string instanceId, LogEpisodes logEpisodes)
    {
        _options = options;
        _local = local;
        _redis = redis;
        _logger = logger;
        _metrics = metrics;
        _time = time;
        _logEpisodes = logEpisodes;
        _instanceId = instanceId;
        _index = index;
        Clock = new ReferenceClock(time);
        Knowledge = new Knowledge(options.InvalidationScopeCapacity, options.InvalidationPatternCapacity, index);
        _removals = new RecentRemovals(options.InvalidationScopeCapacity);
        _pending = new PendingInvalidations(options.MaxPendingInvalidations);
        _windowUs = (long)options.StaleSetWindow.TotalMicroseconds;
        _markTtlMs = (long)options.MaxEntryLifetime.TotalMilliseconds;
        if (redis is not null)
        {
            redis.MessageReceived += OnMessage;
            redis.Subscribed += OnSubscribed;
            redis.SubscriptionLost += OnSubscriptionLost;
            redis.Recovered += OnRecovered;
        }

        _timer = time.CreateTimer(static state => ((InvalidationCoordinator)state!).Tick(), this, TimeSpan.Zero, TickInterval);
    }

    public ReferenceClock Clock { get; }

    public Knowledge Knowledge { get; }

    public int PendingCount => _pending.Count;

    public long PendingCollapses => _pending.Collapses;

    /// <summary>Completes once the clock has its first sample of Redis's time (the host's startup probe waits for it).</summary>
    public Task Calibrated => _calibrated.Task;

    /// <summary>Waits at most <paramref name="timeout"/> for the clock's first sample; false when it did not come.</summary>
    public async ValueTask<bool> WaitCalibratedAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await _calibrated.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public LoadTicket BeginLoad() => new(Clock.Low(), Clock.Era);

    public LoadTicket BeginWrite() => new(Clock.WriteStamp(), Clock.Era);

    /// <summary>The L1 hit path's check: free unless something was invalidated since the entry was last checked.</summary>
    public bool IsUsable(string key, LocalEntry entry)
    {
        var epoch = Knowledge.Epoch;
        if (entry.ValidatedEpoch == epoch)
        {
            return true;
        }

        if (Knowledge.Check(key, entry.Stamp, entry.TagScopes, fromRedis: false, null) != Verdict.Valid)
        {
            return false;
        }

        entry.ValidatedEpoch = epoch;
        return true;
    }

    /// <summary>
    /// May a value loaded under <paramref name="ticket"/> be stored (or handed to a caller who joins the load)? Not
    /// when an invalidation it crossed concerns it, when the clock changed era since it began, or when it began
    /// before a removal or run-time pattern this node no longer remembers.
    /// </summary>
    public bool MayStore(string key, LoadTicket ticket, ReadOnlySpan<ulong> tagScopes) =>
        ticket.Era == Clock.Era
        && ticket.Stamp > Knowledge.PatternsForgotten
        && _removals.AllowsStore(key, ticket.Stamp)
        && Knowledge.Check(key, ticket.Stamp, tagScopes, fromRedis: false, null) == Verdict.Valid;

    /// <summary>
    /// May an entry just read from Redis and checked by <see cref="MayUseFromRedisAsync"/> go into L1? Asked again
    /// under the key's lock, so a removal landing in between wins. Unlike a load's store it may be old: only what
    /// voids the entry itself counts, not what this node has forgotten since.
    /// </summary>
    public bool MayFill(string key, LoadTicket ticket, ReadOnlySpan<ulong> tagScopes) =>
        ticket.Era == Clock.Era
        && !_removals.RemovedSince(key, ticket.Stamp)
        && Knowledge.Check(key, ticket.Stamp, tagScopes, fromRedis: false, null) == Verdict.Valid;

    /// <summary>May an entry read from Redis be used? Fetches from Redis the marks this node does not know yet.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> MayUseFromRedisAsync(string key, long stamp, ulong[]? tagScopes, bool synchronous)
    {
        if (_removals.RemovedSince(key, stamp))
        {
            return false;
        }

        // Most reads know every mark: the list of unknown ones is built only when some are missing.
        var verdict = Knowledge.Check(key, stamp, tagScopes, fromRedis: true, null);
        if (verdict != Verdict.Unknown)
        {
            return verdict == Verdict.Valid;
        }

        var unknown = new List<ulong>();
        verdict = Knowledge.Check(key, stamp, tagScopes, fromRedis: true, unknown);
        if (verdict != Verdict.Unknown)
        {
            return verdict == Verdict.Valid;
        }

        var marks = await _redis!.GetMarksAsync(unknown, synchronous).ConfigureAwait(false);
        if (marks is null)
        {
            return false;
        }

        for (var i = 0; i < unknown.Count; i++)
        {
            Knowledge.Learn(unknown[i], marks[i]);
        }

        // Learned marks are known now; whatever is still unknown (evicted meanwhile) counts as invalid.
        return Knowledge.Check(key, stamp, tagScopes, fromRedis: true, null) == Verdict.Valid;
    }

    public ValueTask<long> RemoveKeyAsync(string key, CancellationToken cancellationToken) =>
        InvalidateAsync(InvalidationMessage.ForKey(key, Clock.NextMark()), cancellationToken);

    /// <summary>Invalidates what a pattern matches: by one scope mark when it is a segment prefix or an instance of an indexed shape, else by SCAN.</summary>
    public ValueTask<long> InvalidatePatternAsync(string pattern, CancellationToken cancellationToken)
    {
        var mark = Clock.NextMark();
        InvalidationMessage message;
        if (pattern == "*")
        {
            message = InvalidationMessage.ForAll(mark);
        }
        else if (!GlobPattern.HasWildcard(pattern))
        {
            message = InvalidationMessage.ForKey(pattern, mark);
        }
        else if (Scopes.TryPrefixPattern(pattern, out var scope) || _index.TryScope(pattern, out scope))
        {
            message = InvalidationMessage.ForScope(scope, mark);
        }
        else
        {
            message = InvalidationMessage.ForPattern(pattern, mark);
        }

        return InvalidateAsync(message, cancellationToken);
    }

    public ValueTask<long> RemoveTagAsync(string tag, CancellationToken cancellationToken) =>
        InvalidateAsync(InvalidationMessage.ForScope(Scopes.Tag(tag), Clock.NextMark()), cancellationToken);

    /// <summary>
    /// A value stamped <paramref name="stamp"/> was just written here and replaces whatever the key held: older copies
    /// go from this node's L1, from Redis (unless the new value is already there), and from the other nodes' L1.
    /// The new value itself stays cached everywhere: this is not an invalidation of it.
    /// </summary>
    public async ValueTask ReplaceKeyAsync(string key, long stamp, bool redisHoldsIt, CancellationToken cancellationToken)
    {
        var message = InvalidationMessage.ForKey(key, stamp - 1);
        ApplyLocally(message);
        if (_redis is null)
        {
            return;
        }

        if (!redisHoldsIt)
        {
            var applying = ApplyOnRedisOrQueueAsync(message);
            await (cancellationToken.CanBeCanceled ? applying.WaitAsync(cancellationToken) : applying).ConfigureAwait(false);
        }
        else if (!await _redis.PublishAsync(message.Format(_instanceId)).ConfigureAwait(false))
        {
            Queue(message);
        }
    }

    /// <summary>
    /// The protocol, in order: this node's knowledge and L1 first (from here on this node never uses what the
    /// invalidation covers), then Redis, then the backplane. The Redis half runs on the cache's lifetime, not the
    /// caller's token: a cancelled caller stops waiting, the invalidation still completes or is queued.
    /// </summary>
    private async ValueTask<long> InvalidateAsync(InvalidationMessage message, CancellationToken cancellationToken)
    {
        using var activity = CacheActivity.Source.StartActivity("cache.invalidate");
        activity?.SetTag("cache.invalidation", message.Kind.ToString());
        if (_options.TraceKeys)
        {
            activity?.SetTag("cache.target", Describe(message));
        }
        var localRemoved = ApplyLocally(message);
        _metrics.Invalidation(message.Kind);
        if (_redis is null)
        {
            return localRemoved;
        }

        var applying = ApplyOnRedisOrQueueAsync(message);
        return cancellationToken.CanBeCanceled
            ? await applying.WaitAsync(cancellationToken).ConfigureAwait(false)
            : await applying.ConfigureAwait(false);
    }

    private async Task<long> ApplyOnRedisOrQueueAsync(InvalidationMessage message)
    {
        // An older invalidation still queued goes out first (its effect is idempotent, so order only matters for
        // what the other nodes see first).
        if (!_pending.IsEmpty)
        {
            await ReplayAsync().ConfigureAwait(false);
        }

        var (status, removed) = await ApplyOnRedisAsync(message).ConfigureAwait(false);
        switch (status)
        {
            case RedisStatus.Unavailable:
                Queue(message);
                return 0;
            case RedisStatus.Rejected:
                await FallBackAsync(message).ConfigureAwait(false);
                return 0;
            default:
                if (message.Kind == InvalidationKind.Pattern)
                {
                    _ = SweepAgainLaterAsync(message);
                }

                return removed;
        }
    }

    /// <summary>
    /// A load on another node that began before a run-time pattern and stored before the pattern's message reached
    /// it leaves its old value in Redis, where every node rejects it while it remembers the pattern. One window later
    /// (no load that old stores any more) the pattern is swept once more, so nothing of it outlives that memory.
    /// </summary>
    private async Task SweepAgainLaterAsync(InvalidationMessage message)
    {
        try
        {
            await Task.Delay(_options.StaleSetWindow + TombstoneSlack, _time, _lifetime.Token).ConfigureAwait(false);
            if ((await _redis!.DeletePatternAsync(message.Target, _lifetime.Token).ConfigureAwait(false)).Status == RedisStatus.Unavailable)
            {
                Queue(message);
            }
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async ValueTask<(RedisStatus Status, long Removed)> ApplyOnRedisAsync(InvalidationMessage message)
    {
        var redis = _redis!;
        var text = message.Format(_instanceId);
        switch (message.Kind)
        {
            case InvalidationKind.Key:
                // On one server: one round trip, the message behind the script.
                var (status, existed) = await redis.TombstoneAsync(message.Target, message.Mark, TombstoneTtlMs, PublishWithScript(text)).ConfigureAwait(false);
                return await PublishIfClusteredAsync(status, existed ? 1 : 0, text).ConfigureAwait(false);
            case InvalidationKind.Pattern:
                var scan = await redis.DeletePatternAsync(message.Target, _lifetime.Token).ConfigureAwait(false);
                return await PublishIfClusteredAsync(scan.Status, scan.Removed, text, always: true).ConfigureAwait(false);
            default:
                var marked = await redis.SetMarkAsync(message.Kind == InvalidationKind.All ? Scopes.All : message.Scope, message.Mark, _markTtlMs, PublishWithScript(text)).ConfigureAwait(false);
                return await PublishIfClusteredAsync(marked, 0, text).ConfigureAwait(false);
        }
    }

    // On one server the message can ride in the script's batch (Redis runs one connection's commands in order); on a
    // cluster the message may be delivered by another server before the script's primary ran it, so it waits for the
    // script's reply there.
    private string? PublishWithScript(string text) => _redis!.IsCluster ? null : text;

    private async ValueTask<(RedisStatus Status, long Removed)> PublishIfClusteredAsync(RedisStatus status, long removed, string text, bool always = false)
    {
        if (status is RedisStatus.Unavailable or RedisStatus.Rejected)
        {
            return (status, removed);
        }

        if (!always && !_redis!.IsCluster)
        {
            return (status, removed);
        }

        return await _redis!.PublishAsync(text).ConfigureAwait(false) ? (status, removed) : (RedisStatus.Unavailable, 0);
    }

    /// <summary>
    /// Redis refuses this invalidation for good (a user whose ACL forbids SCAN, say). A coarser one that is still
    /// safe takes its place: a mark for the whole prefix. If even that is refused, the invalidation is dropped and
    /// counted: nothing else could make it succeed, and it must not block the queue.
    /// </summary>
    private async ValueTask FallBackAsync(InvalidationMessage message)
    {
        if (message.Kind != InvalidationKind.All)
        {
            var all = InvalidationMessage.ForAll(Clock.NextMark());
            ApplyLocally(all);
            var (status, _) = await ApplyOnRedisAsync(all).ConfigureAwait(false);
            if (status == RedisStatus.Done)
            {
                Log.InvalidationWidened(_logger, _logEpisodes, (char)message.Kind, Describe(message));
                return;
            }

            if (status == RedisStatus.Unavailable)
            {
                Queue(all);
                return;
            }
        }

        _metrics.InvalidationDropped();
        Log.InvalidationDropped(_logger, _logEpisodes, (char)message.Kind, Describe(message));
    }

    private long ApplyLocally(InvalidationMessage message)
    {
        switch (message.Kind)
        {
            case InvalidationKind.Key:
                // Under the key's lock, so a load finishing at this moment either stored before (and is removed now) or
                // sees the removal and stores nothing. A value stamped after the mark (a Set that came later) stays.
                if (_local is not null)
                {
                    return _local.RemoveOlderThan(message.Target, message.Mark + 1, (this, message), static s => s.Item1._removals.Add(s.message.Target, s.message.Mark + 1)) ? 1 : 0;
                }

                _removals.Add(message.Target, message.Mark + 1);
                return 0;
            case InvalidationKind.Scope:
                Knowledge.MarkScope(message.Scope, message.Mark);
                return 0;
            case InvalidationKind.Pattern:
                Knowledge.MarkPattern(message.Target, message.Mark);
                return _local?.RemoveMatching(message.Target) ?? 0;
            default:
                Knowledge.MarkAll(message.Mark);
                var count = _local?.Count ?? 0;
                _local?.Clear();
                return count;
        }
    }

    private void Queue(InvalidationMessage message)
    {
        if (_pending.Add(message) && Interlocked.Exchange(ref _outageLogged, 1) == 0)
        {
            Log.InvalidationsQueued(_logger);
        }
    }

    private async Task ReplayAsync()
    {
        if (_redis is null || !await _replayGate.WaitAsync(0).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            var replayed = 0;
            foreach (var pending in _pending.Snapshot())
            {
                // A whole-prefix entry from an overflow carries no mark yet: it covers everything asked for before now.
                var message = pending.Message.Kind == InvalidationKind.All && pending.Message.Mark == 0
                    ? InvalidationMessage.ForAll(Clock.NextMark())
                    : pending.Message;
                var (status, _) = await ApplyOnRedisAsync(message).ConfigureAwait(false);
                if (status == RedisStatus.Unavailable)
                {
                    return;
                }

                _pending.Remove(pending);
                if (status == RedisStatus.Rejected)
                {
                    await FallBackAsync(message).ConfigureAwait(false);
                }

                replayed++;
            }

            if (replayed > 0 && _pending.IsEmpty && Interlocked.Exchange(ref _outageLogged, 0) == 1)
            {
                Log.InvalidationsReplayed(_logger, replayed);
            }
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            _replayGate.Release();
        }
    }

    private void OnMessage(string text)
    {
        if (!InvalidationMessage.TryParse(text, out var sender, out var message, out var legacy) || sender == _instanceId)
        {
            return;
        }

        if (legacy.Kind != '\0')
        {
            // A node of the previous version: no mark travels with it, so this node's own clock gives one.
            var mark = Clock.NextMark();
            message = legacy.Kind switch
            {
                'k' => InvalidationMessage.ForKey(legacy.Text, mark),
                't' => InvalidationMessage.ForScope(Scopes.Tag(legacy.Text), mark),
                'p' when Scopes.TryPrefixPattern(legacy.Text, out var scope) || _index.TryScope(legacy.Text, out scope) => InvalidationMessage.ForScope(scope, mark),
                'p' => InvalidationMessage.ForPattern(legacy.Text, mark),
                _ => InvalidationMessage.ForAll(mark),
            };
        }

        ApplyLocally(message);
    }

    private void OnSubscribed(bool restored)
    {
        // From now on every invalidation reaches this node. Before now it may have missed some: after a loss, the
        // marks it held may be out of date, so they are dropped (and fetched again when an entry older than now
        // needs them), L1 goes, and no load in flight may store (a removal it crossed may never have arrived).
        var now = Clock.High();
        if (restored)
        {
            Knowledge.Reset(now, ownLoadsToo: true);
            _removals.RaiseWatermark(now);
            _local?.Clear();
            Log.BackplaneReconnected(_logger);
        }

        Knowledge.Listening(now);
        _ = CalibrateAsync();
    }

    private void OnSubscriptionLost() => Knowledge.Listening(long.MaxValue);

    private void OnRecovered()
    {
        _ = CalibrateAsync();
        if (!_pending.IsEmpty && !_lifetime.IsCancellationRequested)
        {
            _ = ReplayAsync();
        }
    }

    private void Tick()
    {
        if (_lifetime.IsCancellationRequested)
        {
            return;
        }

        if (_redis is not null)
        {
            if (_time.GetTimestamp() >= Volatile.Read(ref _nextCalibrationTimestamp))
            {
                _ = CalibrateAsync();
            }

            if (!_pending.IsEmpty)
            {
                _ = ReplayAsync();
            }
        }

        // A run-time pattern is swept from Redis a second time one window after it was applied (see
        // ApplyOnRedisOrQueueAsync), so a little after that it need not be checked any more; unless it waits in the
        // queue: then it is what keeps this node from reading what Redis still holds.
        if (_pending.IsEmpty)
        {
            Knowledge.ForgetPatternsBefore(Clock.Low() - _windowUs - (2 * (long)TombstoneSlack.TotalMicroseconds));
        }
    }

    private async Task CalibrateAsync()
    {
        ScheduleCalibration(CalibrationInterval);
        for (var attempt = 0; attempt < SamplesPerCalibration; attempt++)
        {
            var reading = await _redis!.ReadClockAsync(_time).ConfigureAwait(false);
            if (reading is not { } sample)
            {
                // Try again on the next tick.
                Volatile.Write(ref _nextCalibrationTimestamp, 0);
                break;
            }

            Take(sample);
            if (IsTight || _lifetime.IsCancellationRequested)
            {
                break;
            }

            if (attempt == SamplesPerCalibration - 1)
            {
                ScheduleCalibration(LooseCalibrationInterval);
            }
        }
    }

    private bool IsTight
    {
        get
        {
            if (!Clock.IsCalibrated)
            {
                return false;
            }

            var error = Clock.ErrorUs;
            return error <= TightErrorUs
                || (Clock.SamplesTaken >= SamplesPerCalibration && error <= 2 * Clock.BestSampleErrorUs);
        }
    }

    private void ScheduleCalibration(TimeSpan after) =>
        Volatile.Write(ref _nextCalibrationTimestamp, _time.GetTimestamp() + (long)(after.TotalSeconds * _time.TimestampFrequency));

    private void Take((long ReferenceUs, long Sent, long Received) sample)
    {
        var wasCalibrated = Clock.IsCalibrated;
        if (Clock.Calibrate(sample.ReferenceUs, sample.Sent, sample.Received))
        {
            // A new time base: stamps taken before cannot be compared with marks after, so start over. Queued
            // invalidations get marks of the new base (later than anything before: they cover more, never less).
            Knowledge.Reset(Clock.High(), ownLoadsToo: false);
            _local?.Clear();
            _pending.Remark(Clock.NextMark());
            if (wasCalibrated)
            {
                Log.ClockStepped(_logger);
            }
        }

        // The startup probe waits for the first sample only: the tighter ones follow within round trips.
        _calibrated.TrySetResult();
    }

    private long TombstoneTtlMs => (long)(_options.StaleSetWindow + TombstoneSlack).TotalMilliseconds;

    private static string Describe(InvalidationMessage message) => message.Kind switch
    {
        InvalidationKind.Scope => message.Scope.ToString("x16", System.Globalization.CultureInfo.InvariantCulture),
        InvalidationKind.All => "*",
        _ => message.Target,
    };

    public async ValueTask DisposeAsync()
    {
        await _lifetime.CancelAsync().ConfigureAwait(false);
        await _timer.DisposeAsync().ConfigureAwait(false);
        _lifetime.Dispose();
    }
}
