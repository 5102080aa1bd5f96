namespace Caching.Runtime.Tests.Interleaving;

/// <summary>
/// The small key space that makes operations collide: <c>user:{u}:profile</c> and <c>user:{u}:orders</c> for u in
/// 1..3, each stored with the tag <c>tenant:{u % 2}</c>. One <see cref="CacheEntryOptions"/> per key, passed on every
/// read and set of that key. The model's own glob matcher says which keys an invalidation affects.
/// </summary>
public static class Keyspace
{
    public const int Users = 3;

    public static readonly IReadOnlyList<string> Keys =
        [.. Enumerable.Range(1, Users).SelectMany(u => new[] { $"user:{u}:profile", $"user:{u}:orders" })];

    private static readonly Dictionary<string, CacheEntryOptions> EntryOptions = Keys.ToDictionary(
        k => k,
        k => new CacheEntryOptions { Tags = [TagOf(k)], LocalTtl = TimeSpan.FromMinutes(10), RedisTtl = TimeSpan.FromMinutes(20) },
        StringComparer.Ordinal);

    public static CacheEntryOptions OptionsFor(string key) => EntryOptions[key];

    public static int UserOf(string key) => key[5] - '0';

    public static string TagOf(string key) => "tenant:" + (UserOf(key) % 2);

    public static IReadOnlyList<string> MatchingPattern(string pattern) => [.. Keys.Where(k => Glob(pattern, 0, k, 0))];

    public static IReadOnlyList<string> Tagged(string tag) => [.. Keys.Where(k => TagOf(k) == tag)];

    /// <summary><c>*</c> any text, <c>?</c> one character; the keys have no other special characters.</summary>
    private static bool Glob(string pattern, int p, string text, int t)
    {
        while (p < pattern.Length)
        {
            switch (pattern[p])
            {
                case '*':
                    for (var i = t; i <= text.Length; i++)
                    {
                        if (Glob(pattern, p + 1, text, i))
                        {
                            return true;
                        }
                    }

                    return false;
                case '?':
                    if (t >= text.Length)
                    {
                        return false;
                    }

                    break;
                default:
                    if (t >= text.Length || text[t] != pattern[p])
                    {
                        return false;
                    }

                    break;
            }

            p++;
            t++;
        }

        return t == text.Length;
    }
}
