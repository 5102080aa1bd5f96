using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Caching.Benchmarks;

/// <summary>The size of the serialized payload a serializer benchmark writes or reads (<see cref="SerializerBenchmarks.PayloadBytes"/>).</summary>
internal sealed class PayloadBytesColumn : IColumn
{
    public string Id => "PayloadBytes";

    public string ColumnName => "Payload (B)";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Size;

    public string Legend => "Bytes of the serialized payload (what Redis stores after the cache's header)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        SerializerBenchmarks.PayloadBytes(benchmarkCase.Descriptor.WorkloadMethod.Name).ToString(CultureInfo.InvariantCulture);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}
