namespace Caching.Internal;

/// <summary>
/// The L1 size of a type's shared values, learned from a sample of their serializations. A shared (immutable) value
/// that only L1 keeps needs its serialized length for one thing, the L1 byte budget, and serializing it on every
/// store was most of the cost of a miss (the bytes and the garbage). So the first values of a type are measured, then
/// one in <see cref="SampleEvery"/>; the others are charged the largest size measured. A type whose sizes vary (a list that is
/// sometimes empty, sometimes long) or that comes near <see cref="MultiLayerCacheOptions.MaxValueBytes"/> is measured
/// every time, so an outlier is never charged a small size and the size limit is always checked for it.
/// </summary>
internal sealed class SizeEstimate
{
    public const int SampleEvery = 16;

    private const int Warmup = 8;

    private readonly Lock _gate = new();
    private readonly long _largeValueBytes;
    private long _samples;
    private long _total;
    private long _smallest = long.MaxValue;
    private long _largest;
    private volatile bool _variable;
    private long _estimate;

    public SizeEstimate(int maxValueBytes) => _largeValueBytes = Math.Max(1, maxValueBytes / 8);

    /// <summary>The size to charge without serializing, or false when this value must be measured.</summary>
    /// <param name="sample">Varies from store to store (a stamp's low bits): decides which stores are sampled.</param>
    /// <param name="sizeBytes">The envelope length to charge.</param>
    public bool TryEstimate(long sample, out long sizeBytes)
    {
        sizeBytes = Volatile.Read(ref _estimate);
        return sizeBytes > 0 && !_variable && (sample % SampleEvery) != 0;
    }

    /// <summary>Takes a measured envelope length (<paramref name="sizeBytes"/>). Sizes that spread beyond twice the smallest (plus 256 bytes) mark the type variable.</summary>
    public void Record(long sizeBytes)
    {
        lock (_gate)
        {
            _samples++;
            _total += sizeBytes;
            _smallest = Math.Min(_smallest, sizeBytes);
            _largest = Math.Max(_largest, sizeBytes);
            if (_largest > (2 * _smallest) + 256 || _largest > _largeValueBytes)
            {
                _variable = true;
            }

            if (_samples >= Warmup && !_variable)
            {
                // The largest seen, not the mean: a stable type's values are charged no less than their measured sizes.
                Volatile.Write(ref _estimate, _largest);
            }
        }
    }
}
