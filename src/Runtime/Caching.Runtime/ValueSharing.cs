namespace Caching;

/// <summary>Whether an in-process (L1) hit hands out the cached instance itself or a private copy.</summary>
public enum ValueSharing
{
    /// <summary>Share instances of immutable types (strings, primitives, records with init-only members, readonly structs, <c>[ImmutableObject(true)]</c>); copy the rest.</summary>
    Auto = 0,

    /// <summary>Always hand out the cached instance. Callers must not mutate it.</summary>
    Share = 1,

    /// <summary>Always hand out a copy, deserialized from the cached bytes.</summary>
    Copy = 2,
}
