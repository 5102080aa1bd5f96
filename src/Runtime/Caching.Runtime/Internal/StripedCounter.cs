namespace Caching.Internal;

/// <summary>
/// A hit counter that every core can increment without sharing a cache line: one slot per processor (rounded up to
/// a power of two), each on its own 128-byte line, summed when read. One shared <c>Interlocked.Increment</c> on the
/// L1 hit path made every hit on one core invalidate the line on the others.
/// </summary>
internal sealed class StripedCounter
{
    // 128 bytes: the adjacent-line prefetcher of x64 pulls lines in pairs, so 64 apart would still be shared.
    private const int LongsPerSlot = 16;
    private readonly long[] _slots;
    private readonly int _mask;

    public StripedCounter()
    {
        var slots = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, Environment.ProcessorCount));
        _mask = slots - 1;
        _slots = new long[slots * LongsPerSlot];
    }

    public void Increment() => Interlocked.Increment(ref _slots[(Thread.GetCurrentProcessorId() & _mask) * LongsPerSlot]);

    public long Read()
    {
        long sum = 0;
        for (var i = 0; i < _slots.Length; i += LongsPerSlot)
        {
            sum += Interlocked.Read(ref _slots[i]);
        }

        return sum;
    }
}
