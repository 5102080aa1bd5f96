namespace Caching.Runtime.Tests.Infrastructure;

/// <summary>The system's clock, plus forward jumps the test makes: what a process sees that was not scheduled for a while, or whose clock estimate ran ahead of Redis's.</summary>
internal sealed class JumpingTime : TimeProvider
{
    private long _offsetTicks;

    public void Jump(TimeSpan by) => Interlocked.Add(ref _offsetTicks, (long)(by.TotalSeconds * global::System.Diagnostics.Stopwatch.Frequency));

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromSeconds(Volatile.Read(ref _offsetTicks) / (double)global::System.Diagnostics.Stopwatch.Frequency);

    public override long GetTimestamp() => System.GetTimestamp() + Volatile.Read(ref _offsetTicks);

    public override long TimestampFrequency => System.TimestampFrequency;
}
