using ScottPlot;
using static GpuProxy.Load.LoadCommand;

namespace GpuProxy.Load;

/// <summary>
/// The latency distributions as a picture: one cumulative curve per endpoint, dashed before (the source) and solid after
/// (the measured phase), on a log scale of milliseconds, so the jump of two orders of magnitude and the tail of misses
/// are both visible.
/// </summary>
internal static class LatencyPlot
{
    public static void Save(string path, Dictionary<Op, EndpointStats> before, Dictionary<Op, EndpointStats> after, LoadOptions options)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var index = 0;
        foreach (var op in new[] { Op.List, Op.Profile, Op.Models, Op.Search, Op.Instance, Op.Credits })
        {
            var color = palette.GetColor(index++);
            AddCurve(plot, before[op], color, LinePattern.Dashed, "before");
            AddCurve(plot, after[op], color, LinePattern.Solid, "after");
        }

        plot.Title($"GpuProxy latency, before (dashed: source) and after (solid: cached), {options.Concurrency} clients");
        plot.XLabel("latency (ms, log scale)");
        plot.YLabel("share of requests at or below (%)");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = value => Math.Pow(10, value).ToString("G4", System.Globalization.CultureInfo.InvariantCulture),
        };
        plot.Axes.SetLimitsY(0, 100);
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, 1200, 700);
    }

    private static void AddCurve(Plot plot, EndpointStats stats, Color color, LinePattern pattern, string phase)
    {
        var sorted = stats.Sorted();
        if (sorted.Length == 0)
        {
            return;
        }

        // At most ~500 points per curve: enough for the shape, small enough for the picture.
        var step = Math.Max(1, sorted.Length / 500);
        var xs = new List<double>();
        var ys = new List<double>();
        for (var i = 0; i < sorted.Length; i += step)
        {
            xs.Add(Math.Log10(Math.Max(sorted[i], 0.01)));
            ys.Add(100.0 * (i + 1) / sorted.Length);
        }

        xs.Add(Math.Log10(Math.Max(sorted[^1], 0.01)));
        ys.Add(100);
        var line = plot.Add.ScatterLine(xs, ys, color);
        line.LinePattern = pattern;
        line.LineWidth = 2;
        line.LegendText = $"{stats.Name.Trim()} {phase}";
    }
}
