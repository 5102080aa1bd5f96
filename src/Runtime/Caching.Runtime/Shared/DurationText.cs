// The TTL grammar shared by [Cached(LocalTtl = "5m")], the generator (which turns it into a constant at
// compile time), the analyzers (CACHE008) and the runtime's configuration binding.

using System;
using System.Globalization;

namespace Caching.Templates;

internal static class DurationText
{
    private static readonly string[] TimeSpanFormats = { @"h\:m\:s", @"hh\:mm\:ss", @"d\.hh\:mm\:ss", @"hh\:mm\:ss\.fff" };

    public const string Expected = "a duration such as \"500ms\", \"30s\", \"5m\", \"1h\", \"1d\" or \"hh:mm:ss\"";

    /// <summary>Parses "500ms", "30s", "5m", "1h", "1d" or a "hh:mm:ss" / "d.hh:mm:ss" time span.</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (text is null)
        {
            return false;
        }

        var s = text.Trim();
        if (s.Length == 0)
        {
            return false;
        }

        if (s.IndexOf(':') >= 0)
        {
            return TimeSpan.TryParseExact(s, TimeSpanFormats, CultureInfo.InvariantCulture, out value)
                && value >= TimeSpan.Zero;
        }

        var unitStart = 0;
        while (unitStart < s.Length && (char.IsDigit(s[unitStart]) || s[unitStart] == '.'))
        {
            unitStart++;
        }

        if (unitStart == 0 || unitStart == s.Length)
        {
            return false;
        }

        if (!double.TryParse(s.Substring(0, unitStart), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }

        double milliseconds;
        // Units are lower case only: "5M" could be read as months.
        switch (s.Substring(unitStart))
        {
            case "ms":
                milliseconds = amount;
                break;
            case "s":
                milliseconds = amount * 1000;
                break;
            case "m":
                milliseconds = amount * 60_000;
                break;
            case "h":
                milliseconds = amount * 3_600_000;
                break;
            case "d":
                milliseconds = amount * 86_400_000;
                break;
            default:
                return false;
        }

        if (double.IsNaN(milliseconds) || milliseconds > TimeSpan.MaxValue.TotalMilliseconds)
        {
            return false;
        }

        value = TimeSpan.FromTicks((long)Math.Round(milliseconds * TimeSpan.TicksPerMillisecond));
        return true;
    }
}
