namespace GpuProxy.Data;

/// <summary>The sample's own settings (section <c>GpuProxy</c>; env vars <c>GpuProxy__SourceLatency</c> ...).</summary>
public sealed class GpuProxyOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "GpuProxy";

    /// <summary>The SQLite file; relative paths are under the content root. Created and seeded when missing.</summary>
    public string DatabasePath { get; set; } = "data/gpuproxy.db";

    /// <summary>Artificial latency added to every database call, in milliseconds: <c>"50-200"</c> (uniform), <c>"20"</c> or <c>"0"</c>.</summary>
    public string SourceLatency { get; set; } = "50-200";

    /// <summary>GPU instances created on first run.</summary>
    public int SeedInstances { get; set; } = 1000;

    /// <summary>Users created on first run.</summary>
    public int SeedUsers { get; set; } = 500;
}
