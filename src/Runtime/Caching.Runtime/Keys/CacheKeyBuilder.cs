using System.Buffers;
using System.Globalization;

namespace Caching;

/// <summary>
/// Builds a cache key or pattern from literal text and escaped, culture-invariant values without intermediate
/// strings: the returned key is the only allocation for keys that fit the initial buffer. Generated decorators use
/// it; it is public so hand-written code can build keys the same way.
/// </summary>
/// <remarks>
/// Each value append (every method but <see cref="AppendLiteral"/>) writes one value; when its escaped text is longer
/// than <see cref="CacheKey.MaxValueLength"/> it is replaced in place by its hash (see <see cref="CacheKey.MaxValueLength"/>).
/// Literals are never hashed, so a pattern keeps its <c>*</c> and a key its shape; the key as a whole is never hashed.
/// </remarks>
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

    /// <summary>
    /// Appends a string value, escaped and hashed when over <see cref="CacheKey.MaxValueLength"/>;
    /// <see langword="null"/> is written as <see cref="CacheKey.NullToken"/>, distinct from "".
    /// </summary>
    /// <param name="value">The value.</param>
    public void AppendValue(string? value)
    {
        if (value is null)
        {
            AppendLiteral(CacheKey.NullToken);
            return;
        }

        var start = _length;
        WriteEscaped(value);
        CapValue(start);
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
    /// Appends a formattable value (numbers, dates, spans...) with the invariant culture, escaped and hashed when over
    /// <see cref="CacheKey.MaxValueLength"/>. Dates and times are written as ISO 8601 round-trip text ("O") and GUIDs
    /// as "D", like their <c>AppendValue</c> overloads.
    /// </summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="value">The value.</param>
    public void AppendFormatted<T>(T value)
        where T : ISpanFormattable => AppendFormatted(value, KeyFormat<T>());

    /// <summary>Appends a formattable value with a format string and the invariant culture, escaped and hashed when over <see cref="CacheKey.MaxValueLength"/>.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="format">The format.</param>
    public void AppendFormatted<T>(T value, ReadOnlySpan<char> format)
        where T : ISpanFormattable
    {
        var start = _length;
        WriteFormatted(value, format);
        CapValue(start);
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

    /// <summary>
    /// Appends an enum member's name (stable when members are reordered), or its number for undefined values; a long
    /// combination of flags is hashed like any value over <see cref="CacheKey.MaxValueLength"/>.
    /// </summary>
    /// <typeparam name="TEnum">The enum type.</typeparam>
    /// <param name="value">The value.</param>
    public void AppendEnum<TEnum>(TEnum value)
        where TEnum : struct, Enum
    {
        var start = _length;
        Span<char> scratch = stackalloc char[64];
        if (Enum.TryFormat(value, scratch, out var written))
        {
            WriteEscaped(scratch[..written]);
        }
        else
        {
            WriteEscaped(value.ToString());
        }

        CapValue(start);
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
    /// The whole sequence is one value: when its text is longer than <see cref="CacheKey.MaxValueLength"/>, it is hashed as a whole.
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

        var start = _length;
        WriteElements(values);
        CapValue(start);
    }

    /// <summary>
    /// Appends any value: strings, booleans, GUIDs and dates as by their own overloads, other formattable values with
    /// the invariant culture, anything else through <see cref="object.ToString"/>, hashed when over
    /// <see cref="CacheKey.MaxValueLength"/>. Prefer the typed overloads.
    /// </summary>
    /// <param name="value">The value.</param>
    public void AppendObject(object? value)
    {
        var start = _length;
        WriteObject(value);
        CapValue(start);
    }

    private void WriteFormatted<T>(T value, ReadOnlySpan<char> format)
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
            WriteEscaped(scratch[..written]);
            return;
        }

        WriteEscaped(value.ToString(format.IsEmpty ? null : format.ToString(), CultureInfo.InvariantCulture));
    }

    // Elements of a sequence are written through here uncapped: the sequence is capped once, as one value.
    private void WriteObject(object? value)
    {
        switch (value)
        {
            case null:
                AppendLiteral(CacheKey.NullToken);
                break;
            case string s:
                WriteEscaped(s);
                break;
            case bool b:
                AppendValue(b);
                break;
            case DateTime dt:
                WriteFormatted(dt, "O");
                break;
            case DateTimeOffset dto:
                WriteFormatted(dto, "O");
                break;
            case Guid g:
                WriteFormatted(g, "D");
                break;
            case DateOnly d:
                WriteFormatted(d, "O");
                break;
            case TimeOnly t:
                WriteFormatted(t, "O");
                break;
            case Enum e:
                WriteEscaped(e.ToString());
                break;
            case ISpanFormattable f:
                WriteFormatted(f, default);
                break;
            case IFormattable f:
                WriteEscaped(f.ToString(null, CultureInfo.InvariantCulture));
                break;
            case System.Collections.IEnumerable sequence:
                WriteElements(sequence);
                break;
            default:
                if (value.ToString() is { } text)
                {
                    WriteEscaped(text);
                }
                else
                {
                    AppendLiteral(CacheKey.NullToken);
                }

                break;
        }
    }

    /// <summary>How an empty string is written inside a sequence, so <c>[""]</c> differs from <c>[]</c>; escaping never produces it.</summary>
    private const string EmptyElementToken = "%E";

    private void WriteElements(System.Collections.IEnumerable sequence)
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
            WriteElement(item);
        }

        AppendLiteral(")");
    }

    private void WriteElement(object? element)
    {
        if (element is string { Length: 0 })
        {
            AppendLiteral(EmptyElementToken);
        }
        else
        {
            WriteObject(element);
        }
    }

    /// <summary>
    /// Returns the key or pattern exactly as built and returns any pooled buffer. It is never hashed as a whole (that
    /// would turn a pattern into an exact key); its length is bounded because each value is.
    /// </summary>
    public string ToStringAndClear()
    {
        var key = _chars[.._length].ToString();
        var rented = _rented;
        this = default;
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }

        return key;
    }

    /// <summary>Returns the key or pattern built so far, exactly as built, and keeps building.</summary>
    public override readonly string ToString() => _chars[.._length].ToString();

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

    private void WriteEscaped(scoped ReadOnlySpan<char> value)
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

    // Hashing after writing, rather than measuring first, keeps one escaping loop and costs the short path a single
    // comparison; the hashed form is shorter than what it replaces, so it always fits where the value was.
    private void CapValue(int start)
    {
        var written = _length - start;
        if (written <= CacheKey.MaxValueLength)
        {
            return;
        }

        CacheKey.WriteHashedValue(_chars.Slice(start, written), _chars[start..]);
        _length = start + CacheKey.HashedValueLength;
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
