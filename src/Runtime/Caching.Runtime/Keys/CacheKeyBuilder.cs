using System.Buffers;
using System.Globalization;

namespace Caching;

/// <summary>
/// Builds a cache key from literal text and escaped, culture-invariant values without intermediate strings:
/// the returned key is the only allocation for keys that fit the initial buffer. Generated decorators use it;
/// it is public so hand-written code can build keys the same way.
/// </summary>
/// <example>
/// <code>
/// var builder = new CacheKeyBuilder(stackalloc char[128]);
/// builder.AppendLiteral("user:");
/// builder.AppendValue(userId);
/// builder.AppendLiteral(":profile");
/// string key = builder.ToStringAndClear();
/// </code>
/// </example>
public ref struct CacheKeyBuilder
{
    private char[]? _rented;
    private Span<char> _chars;
    private int _length;

    /// <summary>Starts a key in <paramref name="initialBuffer"/> (typically <c>stackalloc char[128]</c>); it grows from the array pool when needed.</summary>
    /// <param name="initialBuffer">Scratch space.</param>
    public CacheKeyBuilder(Span<char> initialBuffer)
    {
        _rented = null;
        _chars = initialBuffer;
        _length = 0;
    }

    /// <summary>The number of characters written so far.</summary>
    public readonly int Length => _length;

    /// <summary>Appends template text as is (it is trusted: it comes from an attribute checked at compile time).</summary>
    /// <param name="literal">Literal key text.</param>
    public void AppendLiteral(string literal)
    {
        ArgumentNullException.ThrowIfNull(literal);
        EnsureCapacity(literal.Length);
        literal.AsSpan().CopyTo(_chars[_length..]);
        _length += literal.Length;
    }

    /// <summary>Appends a string value, escaped; <see langword="null"/> is written as <see cref="CacheKey.NullToken"/>, distinct from "".</summary>
    /// <param name="value">The value.</param>
    public void AppendValue(string? value)
    {
        if (value is null)
        {
            AppendLiteral(CacheKey.NullToken);
            return;
        }

        AppendEscaped(value);
    }

    /// <summary>Appends <c>true</c> or <c>false</c>.</summary>
    /// <param name="value">The value.</param>
    public void AppendValue(bool value) => AppendLiteral(value ? "true" : "false");

    /// <summary>Appends a date as ISO 8601 round-trip text ("O"), invariant culture.</summary>
    /// <param name="value">The value.</param>
    public void AppendValue(DateTime value) => AppendFormatted(value, "O");

    /// <summary>Appends a date and offset as ISO 8601 round-trip text ("O"), invariant culture.</summary>
    /// <param name="value">The value.</param>
    public void AppendValue(DateTimeOffset value) => AppendFormatted(value, "O");

    /// <summary>Appends a GUID in its 32-digit hyphenated lower-case form ("D").</summary>
    /// <param name="value">The value.</param>
    public void AppendValue(Guid value) => AppendFormatted(value, "D");

    /// <summary>
    /// Appends a formattable value (numbers, dates, spans...) with the invariant culture, escaped. Dates and times
    /// are written as ISO 8601 round-trip text ("O") and GUIDs as "D", like their <c>AppendValue</c> overloads.
    /// </summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="value">The value.</param>
    public void AppendFormatted<T>(T value)
        where T : ISpanFormattable => AppendFormatted(value, KeyFormat<T>());

    /// <summary>Appends a formattable value with a format string and the invariant culture, escaped.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="format">The format.</param>
    public void AppendFormatted<T>(T value, ReadOnlySpan<char> format)
        where T : ISpanFormattable
    {
        // The type test folds away for value types, so a struct is never boxed for the null check.
        if (!typeof(T).IsValueType && value is null)
        {
            AppendLiteral(CacheKey.NullToken);
            return;
        }

        Span<char> scratch = stackalloc char[64];
        if (value.TryFormat(scratch, out var written, format, CultureInfo.InvariantCulture))
        {
            AppendEscaped(scratch[..written]);
            return;
        }

        AppendEscaped(value.ToString(format.IsEmpty ? null : format.ToString(), CultureInfo.InvariantCulture));
    }

    /// <summary>Appends a nullable formattable value; <see langword="null"/> is written as <see cref="CacheKey.NullToken"/>.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="value">The value.</param>
    public void AppendNullable<T>(T? value)
        where T : struct, ISpanFormattable
    {
        if (value.HasValue)
        {
            AppendFormatted(value.GetValueOrDefault());
        }
        else
        {
            AppendLiteral(CacheKey.NullToken);
        }
    }

    /// <summary>Appends an enum member's name (stable when members are reordered), or its number for undefined values.</summary>
    /// <typeparam name="TEnum">The enum type.</typeparam>
    /// <param name="value">The value.</param>
    public void AppendEnum<TEnum>(TEnum value)
        where TEnum : struct, Enum
    {
        Span<char> scratch = stackalloc char[64];
        if (Enum.TryFormat(value, scratch, out var written))
        {
            AppendEscaped(scratch[..written]);
            return;
        }

        AppendEscaped(value.ToString());
    }

    /// <summary>Appends a nullable enum; <see langword="null"/> is written as <see cref="CacheKey.NullToken"/>.</summary>
    /// <typeparam name="TEnum">The enum type.</typeparam>
    /// <param name="value">The value.</param>
    public void AppendNullableEnum<TEnum>(TEnum? value)
        where TEnum : struct, Enum
    {
        if (value.HasValue)
        {
            AppendEnum(value.GetValueOrDefault());
        }
        else
        {
            AppendLiteral(CacheKey.NullToken);
        }
    }

    /// <summary>
    /// Appends a sequence element by element, in order, as <c>(a,b,c)</c>: separators inside elements are escaped,
    /// so <c>["a,b"]</c> and <c>["a","b"]</c> give different keys; an empty sequence is <c>()</c>, an empty string element <c>%E</c>, <see langword="null"/> is <see cref="CacheKey.NullToken"/>.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="values">The sequence.</param>
    public void AppendSequence<T>(IEnumerable<T>? values)
    {
        if (values is null)
        {
            AppendLiteral(CacheKey.NullToken);
            return;
        }

        AppendElements(values);
    }

    /// <summary>
    /// Appends any value: strings, booleans, GUIDs and dates as by their own overloads, other formattable values with
    /// the invariant culture, anything else through <see cref="object.ToString"/>. Prefer the typed overloads.
    /// </summary>
    /// <param name="value">The value.</param>
    public void AppendObject(object? value)
    {
        switch (value)
        {
            case null:
                AppendLiteral(CacheKey.NullToken);
                break;
            case string s:
                AppendEscaped(s);
                break;
            case bool b:
                AppendValue(b);
                break;
            case DateTime dt:
                AppendValue(dt);
                break;
            case DateTimeOffset dto:
                AppendValue(dto);
                break;
            case Guid g:
                AppendValue(g);
                break;
            case DateOnly d:
                AppendFormatted(d);
                break;
            case TimeOnly t:
                AppendFormatted(t);
                break;
            case Enum e:
                AppendEscaped(e.ToString());
                break;
            case ISpanFormattable f:
                AppendFormatted(f);
                break;
            case IFormattable f:
                AppendEscaped(f.ToString(null, CultureInfo.InvariantCulture));
                break;
            case System.Collections.IEnumerable sequence:
                AppendElements(sequence);
                break;
            default:
                AppendValue(value.ToString());
                break;
        }
    }

    /// <summary>How an empty string is written inside a sequence, so <c>[""]</c> differs from <c>[]</c>; escaping never produces it.</summary>
    private const string EmptyElementToken = "%E";

    private void AppendElements(System.Collections.IEnumerable sequence)
    {
        AppendLiteral("(");
        var first = true;
        foreach (var item in sequence)
        {
            if (!first)
            {
                AppendLiteral(",");
            }

            first = false;
            AppendElement(item);
        }

        AppendLiteral(")");
    }

    private void AppendElement(object? element)
    {
        if (element is string { Length: 0 })
        {
            AppendLiteral(EmptyElementToken);
        }
        else
        {
            AppendObject(element);
        }
    }

    /// <summary>Returns the key (hashed when longer than <see cref="CacheKey.MaxLength"/>) and returns any pooled buffer.</summary>
    public string ToStringAndClear()
    {
        var key = _chars[.._length].ToString();
        var rented = _rented;
        this = default;
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }

        return CacheKey.Limit(key);
    }

    /// <inheritdoc cref="ToStringAndClear"/>
    public override readonly string ToString() => CacheKey.Limit(_chars[.._length].ToString());

    // The default formats of the date and time types lose precision (DateTime "G" has no fraction of a second and
    // no kind, TimeOnly "t" no seconds), so two different instants would share one key.
    private static ReadOnlySpan<char> KeyFormat<T>()
    {
        if (typeof(T) == typeof(DateTime) || typeof(T) == typeof(DateTimeOffset) || typeof(T) == typeof(DateOnly) || typeof(T) == typeof(TimeOnly))
        {
            return "O";
        }

        return typeof(T) == typeof(Guid) ? "D" : default;
    }

    private void AppendEscaped(scoped ReadOnlySpan<char> value)
    {
        EnsureCapacity(value.Length);
        foreach (var c in value)
        {
            if (CacheKey.IsReserved(c))
            {
                EnsureCapacity(3);
                _chars[_length++] = '%';
                _chars[_length++] = HexDigit(c >> 4);
                _chars[_length++] = HexDigit(c & 0xF);
            }
            else
            {
                EnsureCapacity(1);
                _chars[_length++] = c;
            }
        }
    }

    private static char HexDigit(int value) => (char)(value < 10 ? '0' + value : 'A' + value - 10);

    private void EnsureCapacity(int additional)
    {
        if (_length + additional <= _chars.Length)
        {
            return;
        }

        var larger = ArrayPool<char>.Shared.Rent(Math.Max(_chars.Length * 2, _length + additional));
        _chars[.._length].CopyTo(larger);
        var previous = _rented;
        _chars = larger;
        _rented = larger;
        if (previous is not null)
        {
            ArrayPool<char>.Shared.Return(previous);
        }
    }
}
