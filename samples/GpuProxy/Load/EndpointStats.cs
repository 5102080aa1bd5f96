namespace GpuProxy.Load;

/// <summary>Latencies and X-Cache outcomes of one endpoint, in one phase. Thread-safe.</summary>
internal sealed class EndpointStats(string name, string cachedBy)
{
    private readonly Lock _lock = new();
    private readonly List<double> _milliseconds = [];
    private readonly Dictionary<string, int> _xCache = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    /// <summary>"http" (middleware), "service" (generated decorator) or "-" (writes).</summary>
    public string CachedBy { get; } = cachedBy;

    public int Errors { get; private set; }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _milliseconds.Count;
            }
        }
    }

    public void Record(double milliseconds, string? xCache, bool ok)
    {
        lock (_lock)
        {
            if (!ok)
            {
                Errors++;
                return;
            }

            _milliseconds.Add(milliseconds);
            if (xCache is not null)
            {
                _xCache[xCache] = _xCache.GetValueOrDefault(xCache) + 1;
            }
        }
    }

    public double Mean()
    {
        lock (_lock)
        {
            return _milliseconds.Count == 0 ? double.NaN : _milliseconds.Average();
        }
    }

    public double Sum()
    {
        lock (_lock)
        {
            return _milliseconds.Sum();
        }
    }

    /// <summary>The recorded latencies, sorted (for the picture's distributions).</summary>
    public double[] Sorted()
    {
        lock (_lock)
        {
            return [.. _milliseconds.Order()];
        }
    }

    public double Percentile(double p)
    {
        lock (_lock)
        {
            if (_milliseconds.Count == 0)
            {
                return double.NaN;
            }

            var sorted = _milliseconds.Order().ToArray();
            var rank = (int)Math.Ceiling(p * sorted.Length) - 1;
            return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
        }
    }

    /// <summary>Share of answered requests with this X-Cache value, or NaN when the endpoint sent none.</summary>
    public double XCacheShare(string value)
    {
        lock (_lock)
        {
            var total = _xCache.Values.Sum();
            return total == 0 ? double.NaN : (double)_xCache.GetValueOrDefault(value) / total;
        }
    }
}
