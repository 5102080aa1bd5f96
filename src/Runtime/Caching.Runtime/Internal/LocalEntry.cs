namespace Caching.Internal;

/// <summary>
/// What L1 holds for a key: the shared instance (immutable types), or the serialized envelope to deserialize a
/// private copy from (mutable types), plus the tags and the logical expiry used by fail-safe.
/// </summary>
internal sealed class LocalEntry(object? value, byte[]? envelope, bool isNull, string[]? tags, long logicalExpiryTick)
{
    /// <summary>The shared instance, when the entry may be shared.</summary>
    public object? Value { get; } = value;

    /// <summary>The Redis envelope (header + payload), when every hit must get its own copy.</summary>
    public byte[]? Envelope { get; } = envelope;

    /// <summary>The cached result was null.</summary>
    public bool IsNull { get; } = isNull;

    public string[]? Tags { get; } = tags;

    /// <summary><see cref="Environment.TickCount64"/> after which the entry is stale (served only by fail-safe).</summary>
    public long LogicalExpiryTick { get; } = logicalExpiryTick;

    public bool IsFresh(long nowTick) => nowTick < LogicalExpiryTick;

    public bool HasTag(string tag)
    {
        if (Tags is null)
        {
            return false;
        }

        foreach (var candidate in Tags)
        {
            if (string.Equals(candidate, tag, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
