using Caching.Internal;

namespace Caching;

/// <summary>Entry options resolution, the envelope, and turning cached bytes back into values.</summary>
public sealed partial class MultiLayerCache
{
    private bool TryMaterialize<T>(LocalEntry entry, out T value)
    {
        if (entry.IsNull)
        {
            value = default!;
            return true;
        }

        if (entry.Value is T shared)
        {
            value = entry is CopiedLocalEntry { Copier: CacheValueCopier<T> copier } ? copier.Copy(shared) : shared;
            return true;
        }

        if (entry.Envelope is { } envelope)
        {
            try
            {
                value = _serializer.Deserialize<T>(envelope, CacheEnvelope.PayloadOffset(envelope));
                return true;
            }
            catch (Exception exception) when (exception is System.Text.Json.JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
            {
                // Stored for another type under the same key: a miss.
            }
        }

        value = default!;
        return false;
    }

    /// <summary>
    /// Reads an entry from Redis. Bytes of another format, version, type or schema, and bytes the serializer rejects,
    /// are a miss: counted, logged, and deleted so the next load replaces them (DESIGN invariant 4).
    /// </summary>
    private bool TryDecode<T>(string key, byte[] bytes, EffectiveOptions effective, out T value, out EnvelopeHeader header)
    {
        value = default!;
        if (!CacheEnvelope.TryReadHeader(bytes, TypeTagFor<T>(effective.SchemaTag), out header, out var problem))
        {
            // A tombstone is a removal, not damage: a plain miss.
            if (problem != EnvelopeProblem.Tombstone)
            {
                RejectPayload(key, CacheEnvelope.Describe(problem), null);
            }

            return false;
        }

        if (header.IsNull)
        {
            return true;
        }

        try
        {
            value = _serializer.Deserialize<T>(bytes, header.PayloadOffset);
            return true;
        }
        catch (Exception exception) when (exception is System.Text.Json.JsonException or NotSupportedException or InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            RejectPayload(key, "the payload could not be deserialized", exception);
            return false;
        }
    }

    private void RejectPayload(string key, string problem, Exception? exception)
    {
        Interlocked.Increment(ref _badPayloads);
        _metrics.Error("decode");
        Log.BadPayload(_logger, _logEpisodes, key, problem, exception);
        if (_redis is not null)
        {
            _ = _redis.DeleteAsync([key]).AsTask();
        }
    }

    private uint TypeTagFor<T>(string? schemaTag) => TypeEntryFor<T>(schemaTag).Tag;

    private TypeEntry TypeEntryFor<T>(string? schemaTag) =>
        _types.GetOrAdd((typeof(T), schemaTag), static (k, self) => new TypeEntry(TypeTag.Compute(k.Type, k.Schema, self._serializer.IdentityFor<T>()), new SizeEstimate(self._options.MaxValueBytes)), this);

    /// <summary>What the cache keeps per value type (and schema): its envelope tag and its learned L1 size.</summary>
    private sealed record TypeEntry(uint Tag, SizeEstimate Size);

    private EffectiveOptions Resolve<T>(CacheEntryOptions options)
    {
        var settings = SettingsFor(options);
        return new EffectiveOptions(
            LocalTtl: settings.LocalTtl,
            RedisTtl: settings.RedisTtl,
            SkipLocal: settings.SkipLocal || (options.Access & TierAccess.NoLocalWrite) != 0,
            SkipRedis: settings.SkipRedis || (options.Access & TierAccess.NoRedisWrite) != 0,
            FailSafe: settings.FailSafe,
            FailSafeMaxDuration: settings.FailSafeMaxDuration,
            SoftTimeout: settings.SoftTimeout,
            HardTimeout: settings.HardTimeout,
            EagerRefresh: settings.EagerRefresh,
            Jitter: settings.Jitter,
            DistributedLock: settings.DistributedLock,
            CacheNull: options.CacheNull,
            Tags: options.Tags,
            TagScopes: options.TagScopes,
            Share: options.Sharing switch
            {
                ValueSharing.Share => true,
                ValueSharing.Copy => false,
                _ => TypeTraits<T>.IsImmutable,
            },
            SchemaTag: options.SchemaTag)
        {
            Copier = options.Copier as CacheValueCopier<T>,
            SkipLocalRead = settings.SkipLocal || (options.Access & TierAccess.NoLocalRead) != 0,
            SkipRedisRead = settings.SkipRedis || (options.Access & TierAccess.NoRedisRead) != 0,
            MaxValueBytes = options.MaxValueBytes ?? _options.MaxValueBytes,
        };
    }

    /// <summary>
    /// An entry's resolved options. <see cref="SkipLocal"/> and <see cref="SkipRedis"/> mean the tier is not written
    /// (stored or filled); <see cref="SkipLocalRead"/> and <see cref="SkipRedisRead"/> that it is not read. Both are set
    /// together unless the HybridCache facade asked for one direction.
    /// </summary>
    private readonly record struct EffectiveOptions(
        TimeSpan LocalTtl,
        TimeSpan RedisTtl,
        bool SkipLocal,
        bool SkipRedis,
        bool FailSafe,
        TimeSpan FailSafeMaxDuration,
        TimeSpan SoftTimeout,
        TimeSpan HardTimeout,
        double EagerRefresh,
        TimeSpan Jitter,
        bool DistributedLock,
        bool CacheNull,
        IReadOnlyList<string>? Tags,
        ulong[]? TagScopes,
        bool Share,
        string? SchemaTag)
    {
        public bool SkipLocalRead { get; init; }

        public bool SkipRedisRead { get; init; }

        public int MaxValueBytes { get; init; }

        /// <summary>The copier for the entry's value type, when the options carry one; used only when <see cref="Share"/> is false.</summary>
        public CacheValueCopier? Copier { get; init; }

        /// <summary>L1 keeps a copy of the value and hands out copies of it: no bytes needed for L1.</summary>
        public bool CopiesValue => !Share && Copier is not null;

        /// <summary>Whether a load needs the resilient path (timeouts or the distributed lock) instead of the plain one.</summary>
        public bool Guarded => SoftTimeout != Timeout.InfiniteTimeSpan || HardTimeout != Timeout.InfiniteTimeSpan || DistributedLock;
    }
}
