namespace Caching.Internal;

/// <summary>The kinds of invalidation, with the one-letter codes used on the backplane.</summary>
internal enum InvalidationKind
{
    Key = 'k',
    Pattern = 'p',
    Tag = 't',
    Clear = 'c',
}

/// <summary>One invalidation: a key, a pattern or a tag (all without the key prefix), or "everything".</summary>
internal readonly record struct Invalidation(InvalidationKind Kind, string Text)
{
    public bool Affects(string key, IReadOnlyList<string>? tags)
    {
        switch (Kind)
        {
            case InvalidationKind.Key:
                return string.Equals(Text, key, StringComparison.Ordinal);
            case InvalidationKind.Pattern:
                return GlobPattern.IsMatch(Text, key);
            case InvalidationKind.Tag:
                if (tags is null)
                {
                    return false;
                }

                foreach (var tag in tags)
                {
                    if (string.Equals(tag, Text, StringComparison.Ordinal))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return true;
        }
    }

    /// <summary>The backplane message: sender id, kind, text.</summary>
    public string ToMessage(string senderId) => string.Concat(senderId, "|", ((char)Kind).ToString(), "|", Text);

    public static bool TryParseMessage(string message, out string senderId, out Invalidation invalidation)
    {
        senderId = string.Empty;
        invalidation = default;
        var first = message.IndexOf('|', StringComparison.Ordinal);
        if (first <= 0 || message.Length < first + 3 || message[first + 2] != '|')
        {
            return false;
        }

        var kind = (InvalidationKind)message[first + 1];
        if (kind is not (InvalidationKind.Key or InvalidationKind.Pattern or InvalidationKind.Tag or InvalidationKind.Clear))
        {
            return false;
        }

        senderId = message[..first];
        invalidation = new Invalidation(kind, message[(first + 3)..]);
        return true;
    }
}
