using MemoryPack;

namespace Caching.Serialization.MemoryPack.Tests;

/// <summary>An immutable value: L1 shares the instance, Redis holds its MemoryPack bytes.</summary>
[MemoryPackable]
public sealed partial record GpuInstance(string Id, string Region, int MemoryGb, DateTime CreatedUtc);

/// <summary>A mutable value: every L1 hit gets its own copy, made by the serializer.</summary>
[MemoryPackable]
public sealed partial class MutableQuota
{
    public string Tenant { get; set; } = string.Empty;

    public List<int> Limits { get; set; } = [];
}

/// <summary>Not <c>[MemoryPackable]</c>: MemoryPack cannot write it.</summary>
public sealed class PlainValue
{
    public string Text { get; set; } = string.Empty;
}
