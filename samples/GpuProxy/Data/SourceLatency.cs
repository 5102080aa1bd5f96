using System.Globalization;

namespace GpuProxy.Data;

/// <summary>
/// Makes the source as slow as a remote database or an upstream API, so the cache's effect shows: each call waits a
/// uniformly random time in [<see cref="MinMs"/>, <see cref="MaxMs"/>].
/// </summary>
public sealed class SourceLatency
{
    private SourceLatency(int minMs, int maxMs)
    {
        MinMs = minMs;
        MaxMs = maxMs;
    }

    /// <summary>Shortest delay in milliseconds.</summary>
    public int MinMs { get; }

    /// <summary>Longest delay in milliseconds.</summary>
    public int MaxMs { get; }

    /// <summary>Parses <c>"50-200"</c>, <c>"20"</c> or <c>"0"</c>.</summary>
    /// <param name="text">The setting.</param>
    /// <exception cref="FormatException">The text is not a range of non-negative milliseconds.</exception>
    public static SourceLatency Parse(string? text)
    {
        var parts = (text ?? "0").Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length is 1 or 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var min)
            && (parts.Length == 1 || int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            var max = parts.Length == 2 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : min;
            if (max >= min)
            {
                return new SourceLatency(min, max);
            }
        }

        throw new FormatException($"GpuProxy:SourceLatency = '{text}' is not valid: expected milliseconds such as \"50-200\", \"20\" or \"0\".");
    }

    /// <summary>Waits the simulated time.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        if (MaxMs == 0)
        {
            return Task.CompletedTask;
        }

        var delay = MinMs == MaxMs ? MinMs : Random.Shared.Next(MinMs, MaxMs + 1);
        return Task.Delay(delay, cancellationToken);
    }

    /// <inheritdoc />
    public override string ToString() => MinMs == MaxMs ? $"{MinMs} ms" : $"{MinMs}-{MaxMs} ms";
}
