using System.Globalization;

namespace Caching.Invalidation;

/// <summary>The kinds of invalidation, with their one-letter codes on the backplane.</summary>
internal enum InvalidationKind
{
    /// <summary>One key: an exact removal (a tombstone in Redis).</summary>
    Key = 'k',

    /// <summary>A scope mark: a segment-prefix pattern or a tag, by hash.</summary>
    Scope = 's',

    /// <summary>A run-time pattern applied by SCAN.</summary>
    Pattern = 'p',

    /// <summary>Everything under the key prefix.</summary>
    All = 'a',
}

/// <summary>
/// One invalidation as it travels on the backplane: <c>2|sender|kind|mark|target</c>, the target being a key, a
/// pattern, or a scope hash in hex. Version 1 messages (<c>sender|kind|text</c>, from nodes not yet upgraded in a
/// rolling deployment) are understood too; version 1 nodes ignore version 2 messages.
/// </summary>
internal readonly record struct InvalidationMessage(InvalidationKind Kind, string Target, ulong Scope, long Mark)
{
    private const string Version = "2";

    public static InvalidationMessage ForKey(string key, long mark) => new(InvalidationKind.Key, key, 0, mark);

    public static InvalidationMessage ForScope(ulong scope, long mark) => new(InvalidationKind.Scope, string.Empty, scope, mark);

    public static InvalidationMessage ForPattern(string pattern, long mark) => new(InvalidationKind.Pattern, pattern, 0, mark);

    public static InvalidationMessage ForAll(long mark) => new(InvalidationKind.All, string.Empty, 0, mark);

    public string Format(string senderId)
    {
        var target = Kind == InvalidationKind.Scope ? Scope.ToString("x16", CultureInfo.InvariantCulture) : Target;
        return string.Create(CultureInfo.InvariantCulture, $"{Version}|{senderId}|{(char)Kind}|{Mark}|{target}");
    }

    /// <summary>
    /// Parses a message. A version 1 message carries no mark and no scope hashes: <paramref name="legacy"/> is set and
    /// the receiver supplies the mark (its own clock) and derives the scope.
    /// </summary>
    public static bool TryParse(string text, out string senderId, out InvalidationMessage message, out LegacyMessage legacy)
    {
        senderId = string.Empty;
        message = default;
        legacy = default;
        var parts = text.Split('|', 5);
        if (parts.Length == 5 && parts[0] == Version && parts[2].Length == 1 && long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var mark))
        {
            var kind = (InvalidationKind)parts[2][0];
            senderId = parts[1];
            switch (kind)
            {
                case InvalidationKind.Key or InvalidationKind.Pattern:
                    message = new InvalidationMessage(kind, parts[4], 0, mark);
                    return parts[4].Length > 0;
                case InvalidationKind.Scope when ulong.TryParse(parts[4], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var scope):
                    message = ForScope(scope, mark);
                    return true;
                case InvalidationKind.All:
                    message = ForAll(mark);
                    return true;
                default:
                    return false;
            }
        }

        // Version 1: sender|k|key, sender|p|pattern, sender|t|tag, sender|c|.
        var first = text.IndexOf('|', StringComparison.Ordinal);
        if (first <= 0 || text.Length < first + 3 || text[first + 2] != '|' || !"kptc".Contains(text[first + 1], StringComparison.Ordinal))
        {
            return false;
        }

        senderId = text[..first];
        legacy = new LegacyMessage(text[first + 1], text[(first + 3)..]);
        return true;
    }
}

/// <summary>A version 1 backplane message: its kind letter and text.</summary>
internal readonly record struct LegacyMessage(char Kind, string Text);
