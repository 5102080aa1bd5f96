using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Mathematics;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Caching.Benchmarks;

/// <summary>
/// A ratio to the baseline computed from one statistic (Min or Median) instead of BenchmarkDotNet's mean-based
/// Ratio. On a shared machine other work only ever adds time, in bursts: the mean absorbs the bursts, while the
/// minimum and the median of many short iterations stay close to the code's own cost.
/// </summary>
internal sealed class RatioOfColumn(string statistic, Func<Statistics, double> pick) : IColumn
{
    public string Id => "RatioOf" + statistic;

    public string ColumnName => "Ratio (" + statistic + ")";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Baseline;

    public int PriorityInCategory => -1;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => $"{statistic} of this benchmark divided by the {statistic} of its class's baseline";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        var baseline = summary.GetBaseline(summary.GetLogicalGroupKey(benchmarkCase));
        var mine = summary[benchmarkCase]?.ResultStatistics;
        var theirs = baseline is null ? null : summary[baseline]?.ResultStatistics;
        if (mine is null || theirs is null || pick(theirs) <= 0)
        {
            return "?";
        }

        return (pick(mine) / pick(theirs)).ToString("0.00", CultureInfo.InvariantCulture);
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}
