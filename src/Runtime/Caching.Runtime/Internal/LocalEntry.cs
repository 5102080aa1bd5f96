namespace Caching.Internal;

/// <summary>
/// What L1 holds for a key: the shared instance (immutable types), or the serialized envelope to deserialize a
/// private copy from (mutable types), plus what the invalidation check needs: the stamp, the tag scopes, and the
/// knowledge epoch at which the entry was last found valid (a hit re-checks only when that epoch moved).
/// </summary>
internal class LocalEntry(object? value, byte[]? envelope, bool isNull, ulong[]? tagScopes, long stamp, long logicalExpiryTick, long refreshTick = long.MaxValue)
{
    private long _validatedEpoch = long.MinValue;
    private int _refreshClaimed;

    /// <summary>The shared instance, when the entry may be shared.</summary>
    public object? Value { get; } = value;

    /// <summary>The Redis envelope (header + payload), when every hit must get its own copy.</summary>
    public byte[]? Envelope { get; } = envelope;

    /// <summary>The cached result was null.</summary>
    public bool IsNull { get; } = isNull;

    public ulong[]? TagScopes { get; } = tagScopes;

    /// <summary>Reference-clock microseconds at which the load that produced the value began.</summary>
    public long Stamp { get; } = stamp;

    /// <summary><see cref="Environment.TickCount64"/> after which the entry is stale (served only by fail-safe).</summary>
    public long LogicalExpiryTick { get; } = logicalExpiryTick;

    /// <summary><see cref="Environment.TickCount64"/> after which a hit also starts an eager refresh (never, by default).</summary>
    public long RefreshTick { get; } = refreshTick;

    public long ValidatedEpoch
    {
        get => Volatile.Read(ref _validatedEpoch);
        set => Volatile.Write(ref _validatedEpoch, value);
    }

    public bool IsFresh(long nowTick) => nowTick < LogicalExpiryTick;

    /// <summary>True for the one hit that starts this entry's eager refresh; a refreshed value comes as a new entry.</summary>
    public bool TryClaimRefresh() => Interlocked.Exchange(ref _refreshClaimed, 1) == 0;
}

/// <summary>
/// An entry whose hits each get a copy of <see cref="LocalEntry.Value"/> made by <see cref="Copier"/>. Its own type, not
/// a field of every entry: the copier would cost each shared entry 8 bytes of L1 (retained heap is a target).
/// </summary>
internal sealed class CopiedLocalEntry(object? value, bool isNull, ulong[]? tagScopes, long stamp, long logicalExpiryTick, long refreshTick, CacheValueCopier copier)
    : LocalEntry(value, null, isNull, tagScopes, stamp, logicalExpiryTick, refreshTick)
{
    public CacheValueCopier Copier { get; } = copier;
}
