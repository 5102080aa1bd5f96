using System.Globalization;
using System.Numerics;
using System.Text;

namespace Caching.Runtime.Tests.Keys;

/// <summary>The allocation-free key builder used by generated decorators: formatting, escaping, growth.</summary>
public sealed class CacheKeyBuilderTests
{
    private static readonly DateTime When = new DateTime(2025, 1, 15, 10, 30, 0, 123, DateTimeKind.Utc).AddTicks(4567);
    private static readonly DateTimeOffset WhenWithOffset = new(2025, 1, 15, 10, 30, 0, TimeSpan.FromHours(2));
    private static readonly Guid Id = Guid.Parse("0F8FAD5B-D9CB-469F-A165-70867728950E");

    private delegate void Append(ref CacheKeyBuilder builder);

    private enum Status
    {
        Active,
        Inactive,
        Idle,
    }

    [Flags]
    private enum Permissions
    {
        None = 0,
        Read = 1,
        Write = 2,
    }

    public static TheoryData<string> Cultures()
    {
        var data = new TheoryData<string>();
        foreach (var culture in CultureScope.Hostile())
        {
            data.Add(culture.Name + (culture.NumberFormat.NegativeSign == "\u2212" ? "+odd" : string.Empty));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cultures))]
    public void Numbers_are_formatted_with_the_invariant_culture_whatever_the_current_culture(string cultureName)
    {
        using var scope = new CultureScope(Resolve(cultureName));

        var key = Build((ref CacheKeyBuilder b) =>
        {
            b.AppendFormatted(1234.5);
            b.AppendLiteral("|");
            b.AppendFormatted(-0.25);
            b.AppendLiteral("|");
            b.AppendFormatted(1234.50m);
            b.AppendLiteral("|");
            b.AppendFormatted(-42);
            b.AppendLiteral("|");
            b.AppendFormatted(1e21);
            b.AppendLiteral("|");
            b.AppendFormatted(0.1f);
            b.AppendLiteral("|");
            b.AppendFormatted(long.MinValue);
            b.AppendLiteral("|");
            b.AppendFormatted(1234567);
            b.AppendLiteral("|");
            b.AppendFormatted(255, "X4");
            b.AppendLiteral("|");
            b.AppendFormatted(double.NaN);
        });

        Assert.Equal("1234.5|-0.25|1234.50|-42|1E+21|0.1|-9223372036854775808|1234567|00FF|NaN", key);
    }

    [Theory]
    [MemberData(nameof(Cultures))]
    public void Dates_are_ISO_8601_round_trip_text_with_escaped_colons_whatever_the_calendar(string cultureName)
    {
        using var scope = new CultureScope(Resolve(cultureName));

        var key = Build((ref CacheKeyBuilder b) =>
        {
            b.AppendValue(When);
            b.AppendLiteral("|");
            b.AppendValue(WhenWithOffset);
            b.AppendLiteral("|");
            b.AppendValue(new DateTime(2025, 1, 15, 0, 0, 0, DateTimeKind.Unspecified));
        });

        Assert.Equal("2025-01-15T10%3A30%3A00.1234567Z|2025-01-15T10%3A30%3A00.0000000+02%3A00|2025-01-15T00%3A00%3A00.0000000", key);
    }

    [Theory]
    [MemberData(nameof(Cultures))]
    public void Dates_and_times_keep_full_precision_whichever_append_method_writes_them(string cultureName)
    {
        using var scope = new CultureScope(Resolve(cultureName));
        var time = new TimeOnly(10, 30, 15, 250);
        var date = new DateOnly(2025, 1, 15);

        var key = Build((ref CacheKeyBuilder b) =>
        {
            b.AppendFormatted(When);
            b.AppendLiteral("|");
            b.AppendFormatted(WhenWithOffset);
            b.AppendLiteral("|");
            b.AppendFormatted(Id);
            b.AppendLiteral("|");
            b.AppendFormatted(time);
            b.AppendLiteral("|");
            b.AppendFormatted(date);
            b.AppendLiteral("|");
            b.AppendNullable<TimeOnly>(time);
            b.AppendLiteral("|");
            b.AppendObject(time);
            b.AppendLiteral("|");
            b.AppendObject(date);
        });

        Assert.Equal(
            "2025-01-15T10%3A30%3A00.1234567Z|2025-01-15T10%3A30%3A00.0000000+02%3A00|0f8fad5b-d9cb-469f-a165-70867728950e|"
            + "10%3A30%3A15.2500000|2025-01-15|10%3A30%3A15.2500000|10%3A30%3A15.2500000|2025-01-15",
            key);
    }

    [Fact]
    public void Instants_a_moment_apart_never_share_a_key()
    {
        var later = When.AddTicks(1);

        Assert.NotEqual(Build((ref CacheKeyBuilder b) => b.AppendFormatted(When)), Build((ref CacheKeyBuilder b) => b.AppendFormatted(later)));
        Assert.NotEqual(Build((ref CacheKeyBuilder b) => b.AppendFormatted(new TimeOnly(10, 30, 15))), Build((ref CacheKeyBuilder b) => b.AppendFormatted(new TimeOnly(10, 30, 45))));
        Assert.NotEqual(Build((ref CacheKeyBuilder b) => b.AppendObject(new TimeOnly(10, 30, 15))), Build((ref CacheKeyBuilder b) => b.AppendObject(new TimeOnly(10, 30, 45))));
    }

    [Theory]
    [MemberData(nameof(Cultures))]
    public void Guids_booleans_and_enums_have_one_spelling(string cultureName)
    {
        using var scope = new CultureScope(Resolve(cultureName));

        var key = Build((ref CacheKeyBuilder b) =>
        {
            b.AppendValue(Id);
            b.AppendLiteral("|");
            b.AppendValue(true);
            b.AppendLiteral("|");
            b.AppendValue(false);
            b.AppendLiteral("|");
            b.AppendEnum(Status.Inactive);
            b.AppendLiteral("|");
            b.AppendEnum(Status.Idle);
            b.AppendLiteral("|");
            b.AppendEnum((Status)7);
            b.AppendLiteral("|");
            b.AppendEnum(Permissions.Read | Permissions.Write);
            b.AppendLiteral("|");
            b.AppendEnum(Permissions.None);
            b.AppendLiteral("|");
            b.AppendEnum((Permissions)9);
        });

        Assert.Equal("0f8fad5b-d9cb-469f-a165-70867728950e|true|false|Inactive|Idle|7|Read%2C Write|None|9", key);
    }

    [Theory]
    [MemberData(nameof(Cultures))]
    public void Nullable_values_are_formatted_like_their_values_and_null_is_the_null_token(string cultureName)
    {
        using var scope = new CultureScope(Resolve(cultureName));

        var key = Build((ref CacheKeyBuilder b) =>
        {
            b.AppendNullable<int>(null);
            b.AppendLiteral("|");
            b.AppendNullable<double>(1.5);
            b.AppendLiteral("|");
            b.AppendNullable<DateTime>(When);
            b.AppendLiteral("|");
            b.AppendNullable<DateTimeOffset>(WhenWithOffset);
            b.AppendLiteral("|");
            b.AppendNullable<Guid>(Id);
            b.AppendLiteral("|");
            b.AppendNullableEnum<Status>(null);
            b.AppendLiteral("|");
            b.AppendNullableEnum<Status>(Status.Active);
            b.AppendLiteral("|");
            b.AppendValue((string?)null);
            b.AppendLiteral("|");
            b.AppendValue(string.Empty);
        });

        Assert.Equal("%N|1.5|2025-01-15T10%3A30%3A00.1234567Z|2025-01-15T10%3A30%3A00.0000000+02%3A00|0f8fad5b-d9cb-469f-a165-70867728950e|%N|Active|%N|", key);
    }

    [Theory]
    [MemberData(nameof(Cultures))]
    public void Sequences_are_written_element_by_element_with_the_invariant_culture(string cultureName)
    {
        using var scope = new CultureScope(Resolve(cultureName));

        Assert.Equal("(a,b)", Build((ref CacheKeyBuilder b) => b.AppendSequence(new[] { "a", "b" })));
        Assert.Equal("(1.5,2.25,-3)", Build((ref CacheKeyBuilder b) => b.AppendSequence(new[] { 1.5, 2.25, -3 })));
        Assert.Equal("(Active,Idle)", Build((ref CacheKeyBuilder b) => b.AppendSequence(new List<Status> { Status.Active, Status.Idle })));
        Assert.Equal("((1,2),(3))", Build((ref CacheKeyBuilder b) => b.AppendSequence(new List<int[]> { new[] { 1, 2 }, new[] { 3 } })));
        Assert.Equal("(2025-01-15T10%3A30%3A00.1234567Z,true,%N)", Build((ref CacheKeyBuilder b) => b.AppendSequence(new object?[] { When, true, null })));
    }

    [Fact]
    public void Separators_inside_elements_are_escaped_so_element_boundaries_are_unambiguous()
    {
        var one = Build((ref CacheKeyBuilder b) => b.AppendSequence(new[] { "a,b" }));
        var two = Build((ref CacheKeyBuilder b) => b.AppendSequence(new[] { "a", "b" }));
        var parens = Build((ref CacheKeyBuilder b) => b.AppendSequence(new[] { "(a)", "b)" }));

        Assert.Equal("(a%2Cb)", one);
        Assert.Equal("(a,b)", two);
        Assert.Equal("(%28a%29,b%29)", parens);
    }

    [Fact]
    public void An_empty_sequence_and_a_null_sequence_differ()
    {
        Assert.Equal("()", Build((ref CacheKeyBuilder b) => b.AppendSequence(Array.Empty<string>())));
        Assert.Equal("%N", Build((ref CacheKeyBuilder b) => b.AppendSequence((IEnumerable<string>?)null)));
        Assert.Equal("(%N)", Build((ref CacheKeyBuilder b) => b.AppendSequence(new string?[] { null })));
        Assert.Equal("%N", Build((ref CacheKeyBuilder b) => b.AppendObject(null)));
    }

    [Fact]
    public void A_sequence_of_one_empty_string_differs_from_the_empty_sequence()
    {
        var empty = Build((ref CacheKeyBuilder b) => b.AppendSequence(Array.Empty<string>()));
        var oneEmpty = Build((ref CacheKeyBuilder b) => b.AppendSequence(new[] { string.Empty }));

        Assert.NotEqual(empty, oneEmpty);
    }

    [Fact]
    public void Distinct_non_empty_string_lists_build_distinct_keys()
    {
        var random = new Random(99);
        const string alphabet = "a,()%N:";
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var n = 0; n < 5000; n++)
        {
            var list = new string?[random.Next(1, 5)];
            for (var i = 0; i < list.Length; i++)
            {
                list[i] = random.Next(8) == 0 ? null : new string(Enumerable.Range(0, random.Next(0, 4)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            }

            var key = Build((ref CacheKeyBuilder b) => b.AppendSequence(list));
            var description = string.Join("|", list.Select(v => v is null ? "<null>" : "'" + v + "'"));
            if (seen.TryGetValue(key, out var other))
            {
                Assert.Equal(other, description);
            }

            seen[key] = description;
        }
    }

    [Theory]
    [MemberData(nameof(Cultures))]
    public void AppendObject_routes_each_runtime_type_to_its_invariant_spelling(string cultureName)
    {
        using var scope = new CultureScope(Resolve(cultureName));

        Assert.Equal("1.5", Build((ref CacheKeyBuilder b) => b.AppendObject(1.5)));
        Assert.Equal("-7", Build((ref CacheKeyBuilder b) => b.AppendObject(-7)));
        Assert.Equal("2.50", Build((ref CacheKeyBuilder b) => b.AppendObject(2.50m)));
        Assert.Equal("true", Build((ref CacheKeyBuilder b) => b.AppendObject(true)));
        Assert.Equal("2025-01-15T10%3A30%3A00.1234567Z", Build((ref CacheKeyBuilder b) => b.AppendObject(When)));
        Assert.Equal("2025-01-15T10%3A30%3A00.0000000+02%3A00", Build((ref CacheKeyBuilder b) => b.AppendObject(WhenWithOffset)));
        Assert.Equal("0f8fad5b-d9cb-469f-a165-70867728950e", Build((ref CacheKeyBuilder b) => b.AppendObject(Id)));
        Assert.Equal("Inactive", Build((ref CacheKeyBuilder b) => b.AppendObject(Status.Inactive)));
        Assert.Equal("a%3Ab", Build((ref CacheKeyBuilder b) => b.AppendObject("a:b")));
        Assert.Equal("%3A", Build((ref CacheKeyBuilder b) => b.AppendObject(':')));
        Assert.Equal("01%3A30%3A00", Build((ref CacheKeyBuilder b) => b.AppendObject(TimeSpan.FromMinutes(90))));
        Assert.Equal("1.5", Build((ref CacheKeyBuilder b) => b.AppendObject(new OnlyFormattable(1.5))));
        Assert.Equal("x%3Ay%2A", Build((ref CacheKeyBuilder b) => b.AppendObject(new PlainObject("x:y*"))));
        Assert.Equal("(1,2)", Build((ref CacheKeyBuilder b) => b.AppendObject(new[] { 1, 2 })));
    }

    [Fact]
    public void A_value_too_long_for_the_scratch_buffer_falls_back_to_ToString_with_the_invariant_culture()
    {
        using var scope = new CultureScope(new CultureInfo("de-DE"));
        var big = BigInteger.Pow(10, 100) * -1;

        var key = Build((ref CacheKeyBuilder b) =>
        {
            b.AppendFormatted(big);
            b.AppendLiteral("|");
            b.AppendObject(big);
        });

        var expected = "-1" + new string('0', 100);
        Assert.Equal(expected + "|" + expected, key);
    }

    [Fact]
    public void A_formattable_reference_value_is_escaped_and_null_is_the_null_token()
    {
        Assert.Equal("a%3Ab", Build((ref CacheKeyBuilder b) => b.AppendFormatted(new SpanCode("a:b"))));
        Assert.Equal("%N", Build((ref CacheKeyBuilder b) => b.AppendFormatted<SpanCode>(null!)));
    }

    [Fact]
    public void Literals_are_appended_as_is_and_values_are_escaped()
    {
        var key = Build((ref CacheKeyBuilder b) =>
        {
            b.AppendLiteral("user:");
            b.AppendValue("42:admin");
            b.AppendLiteral(":*");
        });

        Assert.Equal("user:42%3Aadmin:*", key);
        Assert.Throws<ArgumentNullException>(() => Build((ref CacheKeyBuilder b) => b.AppendLiteral(null!)));
    }

    [Fact]
    public void The_builder_grows_past_its_initial_buffer_and_matches_escaping_value_by_value()
    {
        var random = new Random(4242);
        for (var n = 0; n < 500; n++)
        {
            var initial = random.Next(0, 20);
            var pieces = new List<(bool Literal, string? Text)>();
            for (var i = random.Next(1, 12); i > 0; i--)
            {
                var literal = random.Next(2) == 0;
                var text = new string(Enumerable.Range(0, random.Next(0, 30)).Select(_ => "ab:%*\n{}é"[random.Next(9)]).ToArray());
                pieces.Add((literal, !literal && random.Next(10) == 0 ? null : text));
            }

            var expected = string.Concat(pieces.Select(p => p.Literal ? p.Text : CacheKey.Escape(p.Text)));
            var builder = new CacheKeyBuilder(new char[initial]);
            foreach (var (literal, text) in pieces)
            {
                if (literal)
                {
                    builder.AppendLiteral(text!);
                }
                else
                {
                    builder.AppendValue(text);
                }
            }

            Assert.Equal(expected.Length, builder.Length);
            Assert.Equal(expected, builder.ToString());
            Assert.Equal(expected, builder.ToStringAndClear());
            Assert.Equal(0, builder.Length);
        }
    }

    [Fact]
    public void A_builder_over_an_empty_buffer_still_works()
    {
        var builder = new CacheKeyBuilder(Span<char>.Empty);
        builder.AppendLiteral("k:");
        builder.AppendFormatted(12);

        Assert.Equal("k:12", builder.ToStringAndClear());
    }

    [Fact]
    public void A_long_key_of_short_values_is_returned_whole()
    {
        // Only values are capped: many short values and literals make a long key, and it is not hashed as a whole.
        var key = Build((ref CacheKeyBuilder b) =>
        {
            for (var i = 0; i < 40; i++)
            {
                b.AppendLiteral("segment:");
                b.AppendValue(new string('v', 100));
            }
        });

        Assert.Equal(string.Concat(Enumerable.Repeat("segment:" + new string('v', 100), 40)), key);
    }

    [Fact]
    public void No_value_can_turn_one_template_s_key_into_another_template_s_key()
    {
        static string UserKey(string? id) => Build((ref CacheKeyBuilder b) =>
        {
            b.AppendLiteral("user:");
            b.AppendValue(id);
        });

        static string UserRoleKey(string? id, string? role) => Build((ref CacheKeyBuilder b) =>
        {
            b.AppendLiteral("user:");
            b.AppendValue(id);
            b.AppendLiteral(":");
            b.AppendValue(role);
        });

        Assert.Equal("user:42%3Aadmin", UserKey("42:admin"));
        Assert.NotEqual(UserRoleKey("42", "admin"), UserKey("42:admin"));

        var random = new Random(314);
        const string alphabet = "a4:*?[]\\%N{}";
        for (var n = 0; n < 3000; n++)
        {
            var value = new string(Enumerable.Range(0, random.Next(0, 12)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            var key = UserKey(value);

            // The key keeps the template's one ':' and gains no glob character, so as a pattern it matches only itself.
            Assert.Equal(1, key.Count(c => c == ':'));
            Assert.Equal(-1, key.IndexOfAny(['*', '?', '[', ']', '\\']));
        }
    }

    private static string Build(Append append)
    {
        var builder = new CacheKeyBuilder(stackalloc char[16]);
        append(ref builder);
        return builder.ToStringAndClear();
    }

    private static CultureInfo Resolve(string name) =>
        CultureScope.Hostile().First(c => c.Name + (c.NumberFormat.NegativeSign == "\u2212" ? "+odd" : string.Empty) == name);

    /// <summary>Formattable only through <see cref="IFormattable"/>, honouring the provider it is given.</summary>
    private sealed class OnlyFormattable(double value) : IFormattable
    {
        public string ToString(string? format, IFormatProvider? formatProvider) => value.ToString(format, formatProvider);

        public override string ToString() => value.ToString(CultureInfo.CurrentCulture);
    }

    private sealed class PlainObject(string text)
    {
        public override string ToString() => text;
    }

    private sealed class SpanCode(string text) : ISpanFormattable
    {
        public string ToString(string? format, IFormatProvider? formatProvider) => text;

        public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
        {
            charsWritten = 0;
            if (!text.AsSpan().TryCopyTo(destination))
            {
                return false;
            }

            charsWritten = text.Length;
            return true;
        }
    }
}
