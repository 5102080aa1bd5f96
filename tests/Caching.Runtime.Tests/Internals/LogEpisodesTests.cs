using Caching.Internal;
using Microsoft.Extensions.Time.Testing;

namespace Caching.Runtime.Tests.Internals;

/// <summary>Which occurrence of a recurring problem is a warning: the first of an episode, on a fake clock.</summary>
public sealed class LogEpisodesTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly LogEpisodes _episodes;

    public LogEpisodesTests()
    {
        _episodes = new LogEpisodes(_time);
    }

    [Fact]
    public void The_first_occurrence_begins_an_episode_and_the_ones_close_behind_it_do_not()
    {
        Assert.True(_episodes.Begins(6, "format", out var first));
        Assert.Equal(1, first);

        for (var i = 0; i < 50; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            Assert.False(_episodes.Begins(6, "format", out _));
        }
    }

    [Fact]
    public void After_a_quiet_period_the_next_occurrence_begins_a_new_episode_counting_the_ones_in_between()
    {
        _episodes.Begins(7, typeof(string), out _);
        _episodes.Begins(7, typeof(string), out _);
        _episodes.Begins(7, typeof(string), out _);

        _time.Advance(LogEpisodes.QuietPeriod - TimeSpan.FromSeconds(1));
        Assert.False(_episodes.Begins(7, typeof(string), out _));
        _time.Advance(LogEpisodes.QuietPeriod);
        Assert.True(_episodes.Begins(7, typeof(string), out var occurrences));

        // Three after the first warning, then this one.
        Assert.Equal(4, occurrences);
    }

    [Fact]
    public void A_problem_that_never_stops_is_warned_about_again_once_per_reminder_period()
    {
        Assert.True(_episodes.Begins(8, typeof(int), out _));
        var warnings = 0;
        var step = TimeSpan.FromSeconds(30);
        for (var elapsed = TimeSpan.Zero; elapsed < LogEpisodes.ReminderPeriod * 3; elapsed += step)
        {
            _time.Advance(step);
            if (_episodes.Begins(8, typeof(int), out var occurrences))
            {
                warnings++;
                Assert.Equal((long)(LogEpisodes.ReminderPeriod / step), occurrences);
            }
        }

        Assert.Equal(3, warnings);
    }

    [Fact]
    public void Subjects_and_messages_have_episodes_of_their_own()
    {
        Assert.True(_episodes.Begins(7, typeof(string), out _));
        Assert.True(_episodes.Begins(7, typeof(int), out _));
        Assert.True(_episodes.Begins(8, typeof(string), out _));
        Assert.True(_episodes.Begins(16, 'p', out _));
        Assert.True(_episodes.Begins(16, 's', out _));
        Assert.False(_episodes.Begins(16, 'p', out _));
    }
}
