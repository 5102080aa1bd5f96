namespace Caching.Runtime.Tests.Infrastructure;

/// <summary>An immutable value: L1 may hand out the shared instance.</summary>
public sealed record UserProfile(string Id, string Name, int Credits);

/// <summary>A mutable value: every L1 hit must get its own copy.</summary>
public sealed class MutableProfile
{
    public string Id { get; set; } = string.Empty;

    public List<string> Roles { get; set; } = [];
}
