using Caching.Templates;

namespace Caching.Runtime.Tests.Grammar;

/// <summary>The shared TTL grammar used by attributes, the generator, the analyzers and configuration.</summary>
public sealed class DurationTextTemplateTests
{
    [Theory]
    [InlineData("500ms", 500 * TimeSpan.TicksPerMillisecond)]
    [InlineData("30s", 30 * TimeSpan.TicksPerSecond)]
    [InlineData("5m", 5 * TimeSpan.TicksPerMinute)]
    [InlineData("1h", TimeSpan.TicksPerHour)]
    [InlineData("1d", TimeSpan.TicksPerDay)]
    [InlineData("01:30:00", 90 * TimeSpan.TicksPerMinute)]
    [InlineData("1:2:3", TimeSpan.TicksPerHour + (2 * TimeSpan.TicksPerMinute) + (3 * TimeSpan.TicksPerSecond))]
    [InlineData("1.00:00:00", TimeSpan.TicksPerDay)]
    [InlineData("2.02:03:04", (2 * TimeSpan.TicksPerDay) + (2 * TimeSpan.TicksPerHour) + (3 * TimeSpan.TicksPerMinute) + (4 * TimeSpan.TicksPerSecond))]
    [InlineData("00:00:01.500", 1500 * TimeSpan.TicksPerMillisecond)]
    [InlineData("1.5h", 90 * TimeSpan.TicksPerMinute)]
    [InlineData(".5s", 500 * TimeSpan.TicksPerMillisecond)]
    [InlineData("1.25ms", 12_500)]
    [InlineData(" 5m ", 5 * TimeSpan.TicksPerMinute)]
    [InlineData("0s", 0)]
    [InlineData("00:00:00", 0)]
    public void Accepted_durations(string text, long expectedTicks)
    {
        Assert.True(DurationText.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromTicks(expectedTicks), value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("5x")]
    [InlineData("-1s")]
    [InlineData("+5m")]
    [InlineData("m")]
    [InlineData("1 h")]
    [InlineData("5")]
    [InlineData("5m5s")]
    [InlineData("1.2.3s")]
    [InlineData("1e3s")]
    [InlineData("1,5h")]
    [InlineData("0x10s")]
    [InlineData(".s")]
    [InlineData("\u0663s")]
    [InlineData("99999999999d")]
    [InlineData("-01:00:00")]
    [InlineData("01:30")]
    [InlineData("25:00:00")]
    [InlineData("00:60:00")]
    [InlineData("1:2:3:4")]
    [InlineData("00:00:01.5")]
    public void Rejected_durations(string? text)
    {
        Assert.False(DurationText.TryParse(text, out var value));
        Assert.Equal(TimeSpan.Zero, value);
    }

    [Fact]
    public void Parsing_does_not_depend_on_the_current_culture()
    {
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            // de-DE reads "1.5" as fifteen (group separator) and "1,5" as one and a half.
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            Assert.True(DurationText.TryParse("1.5h", out var value));
            Assert.Equal(TimeSpan.FromMinutes(90), value);
            Assert.False(DurationText.TryParse("1,5h", out _));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }
}
