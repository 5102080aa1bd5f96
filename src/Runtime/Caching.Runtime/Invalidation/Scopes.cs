using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Caching.Invalidation;

/// <summary>
/// The invalidation scopes an entry belongs to, as 64-bit hashes. Every segment prefix of its key ending in ':'
/// (<c>user:</c> and <c>user:42:</c> for <c>user:42:profile</c>) is one, so any pattern of the form
/// <c>literal:...:*</c> is invalidated with one mark instead of a SCAN: glob <c>X*</c> with a wildcard-free X ending
/// in ':' matches exactly the keys that have X as such a prefix. Each tag is one too. A hash collision can only make
/// an invalidation reach an entry it did not name, never miss one.
/// </summary>
internal static class Scopes
{
    /// <summary>Deeper prefixes get no scope; a pattern naming one falls back to SCAN.</summary>
    public const int MaxPrefixDepth = 16;

    /// <summary>The scope every entry belongs to: the whole key prefix.</summary>
    public const ulong All = 0;

    private const long PrefixSeed = 0x5EC7;
    private const long TagSeed = 0x7A65;
    private const long PatternSeed = 0x1DE8;

    public static ulong Prefix(ReadOnlySpan<char> prefix) => XxHash3.HashToUInt64(MemoryMarshal.AsBytes(prefix), PrefixSeed);

    /// <summary>The scope of one instance of an indexed pattern shape (<see cref="PatternIndex"/>), by its text.</summary>
    public static ulong Pattern(ReadOnlySpan<char> instance) => XxHash3.HashToUInt64(MemoryMarshal.AsBytes(instance), PatternSeed);

    public static ulong Tag(string tag) => XxHash3.HashToUInt64(MemoryMarshal.AsBytes(tag.AsSpan()), TagSeed);

    public static ulong[]? Tags(IReadOnlyList<string>? tags)
    {
        if (tags is not { Count: > 0 })
        {
            return null;
        }

        var hashes = new ulong[tags.Count];
        for (var i = 0; i < hashes.Length; i++)
        {
            hashes[i] = Tag(tags[i]);
        }

        return hashes;
    }

    /// <summary>
    /// Whether <paramref name="pattern"/> is a segment-prefix pattern (<c>X*</c>, X without wildcards, ending in ':'
    /// and no deeper than <see cref="MaxPrefixDepth"/>), and the scope that stands for it.
    /// </summary>
    public static bool TryPrefixPattern(string pattern, out ulong scope)
    {
        scope = 0;
        if (pattern.Length < 2 || pattern[^1] != '*' || pattern[^2] != ':')
        {
            return false;
        }

        var prefix = pattern.AsSpan(0, pattern.Length - 1);
        if (prefix.IndexOfAny('*', '?') >= 0 || prefix.Count(':') > MaxPrefixDepth)
        {
            return false;
        }

        scope = Prefix(prefix);
        return true;
    }
}
