using System.Collections.Concurrent;

namespace Caching.Internal;

/// <summary>
/// Decides which occurrence of a recurring problem becomes a warning: the first of its episode. An episode of one
/// subject (a message, with the value type or exception type it concerns) lasts while occurrences keep coming less
/// than <see cref="QuietPeriod"/> apart; one that never ends is warned about again every <see cref="ReminderPeriod"/>,
/// so today's logs still show a problem that began last week. The other occurrences go to Debug with their detail
/// (the key, which may hold personal data and so never goes above Debug). Memory stays bounded: one entry per
/// subject, and subjects are a fixed set of messages times the types the cache is used with.
/// </summary>
internal sealed class LogEpisodes(TimeProvider time)
{
    /// <summary>How long a subject must stay quiet for its next occurrence to start a new episode.</summary>
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromMinutes(1);

    /// <summary>How often a problem that never stops is warned about again.</summary>
    public static readonly TimeSpan ReminderPeriod = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<(int EventId, object? Subject), Episode> _episodes = new();

    /// <summary>
    /// Records an occurrence; true when it should be a warning (the first of an episode, or a reminder), with
    /// <paramref name="occurrences"/> the number of occurrences since the previous warning of this subject (this one
    /// included; 1 at the start of the first episode).
    /// </summary>
    /// <param name="eventId">The message's event id.</param>
    /// <param name="subject">What the problem is about (a type, a problem text); null when the message alone is the subject.</param>
    /// <param name="occurrences">Occurrences since the previous warning, this one included.</param>
    public bool Begins(int eventId, object? subject, out long occurrences)
    {
        var now = time.GetTimestamp();
        var episode = _episodes.GetOrAdd((eventId, subject), static _ => new Episode());
        lock (episode)
        {
            episode.SinceWarning++;
            var begins = !episode.Warned
                || time.GetElapsedTime(episode.LastSeen, now) >= QuietPeriod
                || time.GetElapsedTime(episode.WarnedAt, now) >= ReminderPeriod;
            episode.LastSeen = now;
            occurrences = episode.SinceWarning;
            if (begins)
            {
                episode.Warned = true;
                episode.WarnedAt = now;
                episode.SinceWarning = 0;
            }

            return begins;
        }
    }

    private sealed class Episode
    {
        public bool Warned;
        public long WarnedAt;
        public long LastSeen;
        public long SinceWarning;
    }
}
