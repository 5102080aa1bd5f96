using System.Globalization;

namespace GpuProxy.Load;

/// <summary>Reads counter values out of a Prometheus text exposition (enough for the cache's own series).</summary>
internal static class PrometheusText
{
    /// <summary>Sums the samples of <paramref name="metric"/> whose labels contain every one of <paramref name="labels"/> (such as <c>layer="local"</c>).</summary>
    public static double Sum(string exposition, string metric, params string[] labels)
    {
        var total = 0.0;
        foreach (var raw in exposition.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#' || !line.StartsWith(metric, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = line[metric.Length..];
            if (rest.Length == 0 || (rest[0] != '{' && rest[0] != ' '))
            {
                continue;
            }

            var labelText = rest[0] == '{' ? rest[..(rest.IndexOf('}', StringComparison.Ordinal) + 1)] : string.Empty;
            if (labels.Any(l => !labelText.Contains(l, StringComparison.Ordinal)))
            {
                continue;
            }

            var valueText = rest[labelText.Length..].Trim().Split(' ')[0];
            if (double.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                total += value;
            }
        }

        return total;
    }
}
