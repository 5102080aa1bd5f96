using System.Globalization;

namespace Caching.Runtime.Tests.Keys;

/// <summary>Runs a block under another current culture and restores the previous one.</summary>
internal sealed class CultureScope : IDisposable
{
    private readonly CultureInfo _culture;
    private readonly CultureInfo _uiCulture;

    public CultureScope(CultureInfo culture)
    {
        _culture = CultureInfo.CurrentCulture;
        _uiCulture = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentCulture = culture;
        CultureInfo.CurrentUICulture = culture;
    }

    /// <summary>Cultures whose number, date or casing rules differ from the invariant culture's.</summary>
    public static IEnumerable<CultureInfo> Hostile()
    {
        yield return new CultureInfo("de-DE");
        yield return new CultureInfo("tr-TR");
        yield return new CultureInfo("fr-FR");
        yield return new CultureInfo("th-TH");
        yield return new CultureInfo("ar-SA");
        yield return new CultureInfo("fa-IR");

        // Independent of the ICU data on the machine: a culture that would change every number it touched.
        var odd = (CultureInfo)new CultureInfo("de-DE").Clone();
        odd.NumberFormat.NegativeSign = "\u2212";
        odd.NumberFormat.NumberDecimalSeparator = "\u066B";
        odd.NumberFormat.NumberGroupSeparator = "'";
        odd.NumberFormat.PositiveSign = "plus";
        yield return odd;
    }

    public void Dispose()
    {
        CultureInfo.CurrentCulture = _culture;
        CultureInfo.CurrentUICulture = _uiCulture;
    }
}
