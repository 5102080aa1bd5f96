using Caching.Internal;
using Microsoft.Extensions.Time.Testing;

namespace Caching.Runtime.Tests.Internals;

/// <summary>The breaker that stops a failing Redis from being hammered (DESIGN invariant 1), on a fake clock.</summary>
public sealed class CircuitBreakerTests
{
    private static readonly TimeSpan OpenFor = TimeSpan.FromSeconds(5);
    private readonly FakeTimeProvider _time = new();
    private readonly CircuitBreaker _breaker;

    public CircuitBreakerTests()
    {
        _breaker = new CircuitBreaker(3, OpenFor, _time);
    }

    [Fact]
    public void A_new_breaker_is_closed()
    {
        Assert.True(_breaker.AllowsCall);
        Assert.False(_breaker.IsOpen);
        Assert.Equal(0, _breaker.ConsecutiveFailures);
    }

    [Fact]
    public void It_opens_on_the_threshold_th_consecutive_failure()
    {
        Assert.False(_breaker.RecordFailure());
        Assert.False(_breaker.RecordFailure());
        Assert.True(_breaker.AllowsCall);

        Assert.True(_breaker.RecordFailure());

        Assert.True(_breaker.IsOpen);
        Assert.False(_breaker.AllowsCall);
        Assert.Equal(3, _breaker.ConsecutiveFailures);
    }

    [Fact]
    public void A_success_resets_the_count_before_the_threshold()
    {
        _breaker.RecordFailure();
        _breaker.RecordFailure();

        Assert.False(_breaker.RecordSuccess());
        Assert.False(_breaker.RecordFailure());
        Assert.False(_breaker.RecordFailure());

        Assert.True(_breaker.AllowsCall);
        Assert.False(_breaker.RecordSuccess());
        Assert.False(_breaker.RecordSuccess());
    }

    [Fact]
    public void It_lets_calls_through_again_once_the_duration_has_passed()
    {
        Open();

        _time.Advance(OpenFor - TimeSpan.FromMilliseconds(1));
        Assert.True(_breaker.IsOpen);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(_breaker.AllowsCall);
    }

    [Fact]
    public void A_failed_probe_reopens_it_for_a_full_duration()
    {
        Open();
        _time.Advance(OpenFor);

        Assert.True(_breaker.RecordFailure());

        Assert.True(_breaker.IsOpen);
        _time.Advance(OpenFor - TimeSpan.FromMilliseconds(1));
        Assert.True(_breaker.IsOpen);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(_breaker.AllowsCall);
    }

    [Fact]
    public void A_successful_probe_closes_it_and_reports_the_recovery_once()
    {
        Open();
        _time.Advance(OpenFor);

        Assert.True(_breaker.RecordSuccess());

        Assert.True(_breaker.AllowsCall);
        Assert.Equal(0, _breaker.ConsecutiveFailures);
        Assert.False(_breaker.RecordSuccess());

        // Closed for real: it takes the full threshold again to open it.
        Assert.False(_breaker.RecordFailure());
        Assert.False(_breaker.RecordFailure());
        Assert.True(_breaker.RecordFailure());
    }

    [Fact]
    public void A_success_that_completes_while_open_closes_it_at_once()
    {
        Open();

        Assert.True(_breaker.RecordSuccess());

        Assert.True(_breaker.AllowsCall);
    }

    private void Open()
    {
        for (var i = 0; i < 3; i++)
        {
            _breaker.RecordFailure();
        }

        Assert.True(_breaker.IsOpen);
    }

    [Fact]
    public void Half_open_lets_exactly_one_probe_through_while_the_others_keep_skipping_Redis()
    {
        for (var i = 0; i < 3; i++)
        {
            _breaker.RecordFailure();
        }

        Assert.False(_breaker.TryEnter());
        _time.Advance(OpenFor);

        var entered = Enumerable.Range(0, 50).AsParallel().Count(_ => _breaker.TryEnter());

        Assert.Equal(1, entered);
        Assert.False(_breaker.TryEnter());
        Assert.True(_breaker.RecordSuccess());
        Assert.True(_breaker.TryEnter());
        Assert.True(_breaker.TryEnter());
    }

    [Fact]
    public void A_failed_probe_reopens_for_a_full_period_and_a_lost_probe_is_replaced_after_one()
    {
        for (var i = 0; i < 3; i++)
        {
            _breaker.RecordFailure();
        }

        _time.Advance(OpenFor);
        Assert.True(_breaker.TryEnter());
        Assert.True(_breaker.RecordFailure());
        _time.Advance(OpenFor - TimeSpan.FromMilliseconds(1));
        Assert.False(_breaker.TryEnter());
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(_breaker.TryEnter());

        // That probe never reports back (its caller was torn down): another is allowed one period later, not before.
        _time.Advance(OpenFor - TimeSpan.FromMilliseconds(1));
        Assert.False(_breaker.TryEnter());
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(_breaker.TryEnter());
    }
}
