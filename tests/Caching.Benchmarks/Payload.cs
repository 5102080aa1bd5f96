using System.ComponentModel;
using System.Text.Json;

namespace Caching.Benchmarks;

/// <summary>
/// The immutable benchmark value: a sealed record with init-only members, so every cache may share the instance
/// (<see cref="ImmutableObjectAttribute"/> is what HybridCache looks for; our runtime infers it from the record).
/// <c>[MemoryPackable]</c> for <see cref="SerializerBenchmarks"/>: MemoryPack writes only partial types it generated for.
/// </summary>
[ImmutableObject(true)]
[MemoryPack.MemoryPackable]
public sealed partial record Profile(
    string Id,
    string Name,
    string Email,
    string Country,
    string Plan,
    int Credits,
    bool Active,
    DateTime CreatedUtc,
    string Bio);

/// <summary>The mutable twin of <see cref="Profile"/>: same JSON, settable members, so a hit must hand out a copy.</summary>
public sealed class MutableProfile
{
    public string Id { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    public string Email { get; set; } = string.Empty;

    public string Country { get; set; } = string.Empty;

    public string Plan { get; set; } = string.Empty;

    public int Credits { get; set; }

    public bool Active { get; set; }

    public DateTime CreatedUtc { get; set; }

    public string Bio { get; set; } = string.Empty;

    /// <summary>What a generated copier would emit: a member-wise copy (strings are immutable, so shallow is deep here).</summary>
    public MutableProfile Copy() => new()
    {
        Id = Id,
        Name = Name,
        Email = Email,
        Country = Country,
        Plan = Plan,
        Credits = Credits,
        Active = Active,
        CreatedUtc = CreatedUtc,
        Bio = Bio,
    };
}

/// <summary>The benchmark payloads; their System.Text.Json form is the DESIGN anchors' ~207 bytes.</summary>
public static class Payloads
{
    public static Profile Immutable(int id = 42) => new(
        Id: id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Name: "Ada Lovelace",
        Email: "ada.lovelace@example.com",
        Country: "GB",
        Plan: "professional",
        Credits: 1000,
        Active: true,
        CreatedUtc: new DateTime(2024, 5, 1, 12, 34, 56, DateTimeKind.Utc),
        Bio: "Mathematician, poet, analyst");

    public static MutableProfile Mutable(int id = 42)
    {
        var source = Immutable(id);
        return new MutableProfile
        {
            Id = source.Id,
            Name = source.Name,
            Email = source.Email,
            Country = source.Country,
            Plan = source.Plan,
            Credits = source.Credits,
            Active = source.Active,
            CreatedUtc = source.CreatedUtc,
            Bio = source.Bio,
        };
    }

    public static int JsonLength<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value).Length;
}
