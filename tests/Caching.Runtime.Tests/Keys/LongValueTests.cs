using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Caching.Internal;

namespace Caching.Runtime.Tests.Keys;

/// <summary>
/// An over-long value is hashed inside its own segment (DESIGN invariant 3): a key keeps its literal segments and a
/// pattern built from the same value keeps its wildcard, so it still matches the key.
/// </summary>
public sealed partial class LongValueTests
{
    private static readonly string Long = string.Concat(Enumerable.Range(0, 2000).Select(i => (char)('a' + (i % 26))));

    private delegate void Append(ref CacheKeyBuilder builder);

    [Flags]
    private enum Wide
    {
        None = 0,
        AVeryLongFlagNameThatTakesUpRoomInTheKeyNumberOne = 1,
        AVeryLongFlagNameThatTakesUpRoomInTheKeyNumberTwo = 2,
        AVeryLongFlagNameThatTakesUpRoomInTheKeyNumberThree = 4,
    }

    [Fact]
    public void A_long_value_in_the_middle_is_hashed_in_its_segment_and_the_key_keeps_its_shape()
    {
        var key = SearchKey(Long, "page");

        Assert.Matches(HashedSearchKey(), key);
        Assert.Equal("search:" + Expected(Long) + ":page", key);
        Assert.Equal(key, SearchKey(Long, "page"));
    }

    [Fact]
    public void Different_long_values_give_different_hashes()
    {
        var keys = Enumerable.Range(0, 200).Select(i => SearchKey(Long + i.ToString(CultureInfo.InvariantCulture), "page")).ToList();
        keys.Add(SearchKey(Long[..^1] + "!", "page"));
        keys.Add(SearchKey(Long, "page"));

        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData(127, false)]
    [InlineData(128, false)]
    [InlineData(129, true)]
    [InlineData(130, true)]
    public void The_limit_is_128_characters_of_escaped_text_inclusive(int length, bool hashed)
    {
        var value = Long[..length];

        var key = SearchKey(value, "page");

        Assert.Equal(128, CacheKey.MaxValueLength);
        Assert.Equal("search:" + (hashed ? Expected(value) : value) + ":page", key);
    }

    [Fact]
    public void The_limit_applies_to_the_escaped_text_not_the_raw_value()
    {
        // 42 colons escape to 126 characters: with two more the value is exactly 128, with a 43rd colon 129.
        var fits = new string(':', 42) + "ab";
        var over = new string(':', 43);

        Assert.Equal("search:" + CacheKey.Escape(fits) + ":page", SearchKey(fits, "page"));
        Assert.Equal("search:" + Expected(CacheKey.Escape(over)) + ":page", SearchKey(over, "page"));
    }

    [Fact]
    public void Surrogate_pairs_count_as_two_characters_and_are_hashed_as_utf8()
    {
        var fits = string.Concat(Enumerable.Repeat("😀", 64));
        var over = string.Concat(Enumerable.Repeat("😀", 65));
        var mixed = string.Concat(Enumerable.Repeat("é中😀a", 40));

        Assert.Equal("search:" + fits + ":page", SearchKey(fits, "page"));
        Assert.Equal("search:" + Expected(over) + ":page", SearchKey(over, "page"));
        Assert.Equal("search:" + Expected(mixed) + ":page", SearchKey(mixed, "page"));
    }

    [Fact]
    public void Values_differing_only_in_an_unpaired_surrogate_do_not_share_a_hash()
    {
        // Plain UTF-8 would replace both by U+FFFD and give one entry to two different values.
        var high = SearchKey(Long + "\uD800", "page");
        var otherHigh = SearchKey(Long + "\uD801", "page");
        var low = SearchKey(Long + "\uDC00", "page");
        var replacement = SearchKey(Long + "\uFFFD", "page");

        Assert.Equal(4, new[] { high, otherHigh, low, replacement }.Distinct(StringComparer.Ordinal).Count());
        Assert.Matches(HashedSearchKey(), high);
    }

    [Fact]
    public void A_pattern_from_the_same_long_value_keeps_its_star_and_matches_the_key()
    {
        var key = SearchKey(Long, "page");
        var pattern = SearchPattern(Long);

        Assert.EndsWith(":*", pattern, StringComparison.Ordinal);
        Assert.Equal("search:" + Expected(Long) + ":*", pattern);
        Assert.True(GlobPattern.HasWildcard(pattern));
        Assert.True(GlobPattern.IsMatch(pattern, key));
        Assert.False(GlobPattern.IsMatch(SearchPattern(Long + "x"), key));
        Assert.False(GlobPattern.IsMatch(pattern, SearchKey(Long + "x", "page")));
    }

    [Fact]
    public void A_hashed_segment_never_equals_a_real_value()
    {
        var hashed = SearchKey(Long, "page");
        var segment = hashed.Split(':')[1];

        // '#' is reserved: the same text as a value is escaped, so it names a different key.
        Assert.Equal("search:%23" + segment[1..] + ":page", SearchKey(segment, "page"));
    }

    [Fact]
    public void Every_value_append_hashes_a_long_value_and_leaves_literals_alone()
    {
        var text = new LongText(200);
        var elements = Enumerable.Range(0, 30).Select(i => "item" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var sequenceText = "(" + string.Join(',', elements) + ")";
        var flags = Wide.AVeryLongFlagNameThatTakesUpRoomInTheKeyNumberOne | Wide.AVeryLongFlagNameThatTakesUpRoomInTheKeyNumberTwo | Wide.AVeryLongFlagNameThatTakesUpRoomInTheKeyNumberThree;
        var flagsText = CacheKey.Escape(flags.ToString());
        Assert.True(flagsText.Length > CacheKey.MaxValueLength);

        var cases = new (string Name, Append Append, string Written)[]
        {
            ("AppendValue", (ref CacheKeyBuilder b) => b.AppendValue(Long), Long),
            ("AppendFormatted", (ref CacheKeyBuilder b) => b.AppendFormatted(text), text.ToString()),
            ("AppendFormatted+format", (ref CacheKeyBuilder b) => b.AppendFormatted(text, "x"), text.ToString()),
            ("AppendNullable", (ref CacheKeyBuilder b) => b.AppendNullable<LongText>(text), text.ToString()),
            ("AppendEnum", (ref CacheKeyBuilder b) => b.AppendEnum(flags), flagsText),
            ("AppendNullableEnum", (ref CacheKeyBuilder b) => b.AppendNullableEnum<Wide>(flags), flagsText),
            ("AppendSequence", (ref CacheKeyBuilder b) => b.AppendSequence(elements), sequenceText),
            ("AppendSequence(long element)", (ref CacheKeyBuilder b) => b.AppendSequence(new[] { "a", Long }), "(a," + Long + ")"),
            ("AppendObject(string)", (ref CacheKeyBuilder b) => b.AppendObject(Long), Long),
            ("AppendObject(formattable)", (ref CacheKeyBuilder b) => b.AppendObject(text), text.ToString()),
            ("AppendObject(sequence)", (ref CacheKeyBuilder b) => b.AppendObject(elements.ToList()), sequenceText),
        };

        Assert.True(sequenceText.Length > CacheKey.MaxValueLength);
        foreach (var (name, append, written) in cases)
        {
            var key = Build((ref CacheKeyBuilder b) =>
            {
                b.AppendLiteral("k:");
                append(ref b);
                b.AppendLiteral(":" + new string('L', 300));
            });

            Assert.True("k:" + Expected(written) + ":" + new string('L', 300) == key, name + ": " + key);
        }
    }

    [Fact]
    public void A_short_sequence_is_kept_and_a_long_one_is_hashed_as_one_value()
    {
        Assert.Equal("k:(a,b)", Build((ref CacheKeyBuilder b) =>
        {
            b.AppendLiteral("k:");
            b.AppendSequence(new[] { "a", "b" });
        }));

        // The hash covers the sequence as written, separators included: ["ab","c"] and ["a","bc"] stay apart.
        string Key(string[] values) => Build((ref CacheKeyBuilder b) => b.AppendSequence(values));
        Assert.NotEqual(Key([Long + "ab", "c"]), Key([Long + "a", "bc"]));
    }

    [Fact]
    public void ToString_and_ToStringAndClear_agree_on_a_hashed_value()
    {
        var builder = new CacheKeyBuilder(stackalloc char[16]);
        builder.AppendLiteral("search:");
        builder.AppendValue(Long);
        builder.AppendLiteral(":*");

        var peek = builder.ToString();

        Assert.Equal(peek, builder.ToStringAndClear());
        Assert.Equal(SearchPattern(Long), peek);
    }

    [Fact]
    public void The_short_path_allocates_only_the_key_and_the_long_path_only_the_key_too()
    {
        // Built inline: the helpers' lambdas capture their arguments, and that closure would be counted.
        static string Direct(string q)
        {
            var builder = new CacheKeyBuilder(stackalloc char[128]);
            builder.AppendLiteral("search:");
            builder.AppendValue(q);
            builder.AppendLiteral(":page");
            return builder.ToStringAndClear();
        }

        static string ShortKey() => Direct("user-42");
        static string LongKey() => Direct(Long);

        // Warm up: the JIT, the array pool and the hash provider.
        for (var i = 0; i < 200; i++)
        {
            ShortKey();
            LongKey();
        }

        var shortBytes = BytesPerCall(ShortKey);
        var longBytes = BytesPerCall(LongKey);

        var shortKeyBytes = StringBytes("search:user-42:page".Length);
        var longKeyBytes = StringBytes(("search:" + Expected(Long) + ":page").Length);
        Assert.True(shortBytes < shortKeyBytes + 1, $"short key: {shortBytes:F1} B per call, {shortKeyBytes} expected");
        Assert.True(longBytes < longKeyBytes + 1, $"long key: {longBytes:F1} B per call, {longKeyBytes} expected");
    }

    [Fact]
    public void EscapeValue_is_what_the_builder_writes_for_one_value()
    {
        foreach (var value in new[] { null, string.Empty, "a:b", Long, Long[..128], Long[..129], new string('*', 50) })
        {
            Assert.Equal(Build((ref CacheKeyBuilder b) => b.AppendValue(value)), CacheKey.EscapeValue(value));
        }

        Assert.Equal(CacheKey.NullToken, CacheKey.EscapeValue(null));
        Assert.Equal(Expected(Long), CacheKey.EscapeValue(Long));
    }

    [Fact]
    public void CacheKeyGen_hashes_a_long_value_in_its_segment_and_its_patterns_still_cover_it()
    {
        var keys = new CacheKeyGen("gpu");

        Assert.Equal("gpu:resource:instance:" + Expected(Long), keys.Resource("instance", Long));
        Assert.Equal("gpu:user:" + Expected(Long) + ":profile", keys.User(Long, "profile"));
        Assert.Equal("gpu:query:search:q=" + Expected(Long) + "&region=us", keys.Query("search", ("region", "us"), ("q", Long)));
        Assert.Equal("gpu:list:instances:status=" + Expected(Long), keys.List("instances", ("status", Long)));

        Assert.Contains(keys.PatternsFor("user", Long), p => GlobPattern.IsMatch(p, keys.User(Long, "profile")));
        Assert.Contains(keys.PatternsFor("user", Long), p => GlobPattern.IsMatch(p, keys.User(Long)));
        Assert.True(GlobPattern.IsMatch(keys.Pattern("list", Long), keys.List(Long, ("status", "up"))));
        Assert.DoesNotContain(keys.PatternsFor("user", Long + "x"), p => GlobPattern.IsMatch(p, keys.User(Long, "profile")));
    }

    /// <summary>The hashed form computed independently of the runtime: '#' and the first 16 bytes of SHA-256 over UTF-8.</summary>
    private static string Expected(string escaped) =>
        "#" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(escaped)).AsSpan(0, 16));

    private static string SearchKey(string q, string tail) => Build((ref CacheKeyBuilder b) =>
    {
        b.AppendLiteral("search:");
        b.AppendValue(q);
        b.AppendLiteral(":" + tail);
    });

    private static string SearchPattern(string q) => Build((ref CacheKeyBuilder b) =>
    {
        b.AppendLiteral("search:");
        b.AppendValue(q);
        b.AppendLiteral(":*");
    });

    private static string Build(Append append)
    {
        var builder = new CacheKeyBuilder(stackalloc char[128]);
        append(ref builder);
        return builder.ToStringAndClear();
    }

    private static double BytesPerCall(Func<string> build)
    {
        const int calls = 2000;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < calls; i++)
        {
            build();
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / (double)calls;
    }

    // A string's size on a 64-bit runtime: header, method table, length and terminator (22 bytes), rounded up to 8.
    private static int StringBytes(int length) => (22 + (2 * length) + 7) / 8 * 8;

    [GeneratedRegex("^search:#[0-9a-f]{32}:page$")]
    private static partial Regex HashedSearchKey();

    /// <summary>A formattable struct whose text is longer than the builder's 64-character scratch and the value limit.</summary>
    private readonly struct LongText(int length) : ISpanFormattable
    {
        public override string ToString() => new('t', length);

        public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

        public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
        {
            if (destination.Length < length)
            {
                charsWritten = 0;
                return false;
            }

            destination[..length].Fill('t');
            charsWritten = length;
            return true;
        }
    }
}
