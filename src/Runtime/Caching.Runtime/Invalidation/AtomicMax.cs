namespace Caching.Invalidation;

/// <summary>Marks, floors and watermarks only ever rise; this is the one place that raises them under races.</summary>
internal static class AtomicMax
{
    public static void Raise(ref long field, long value)
    {
        var current = Volatile.Read(ref field);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref field, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
