namespace Caching.Runtime.Tests.Infrastructure;

/// <summary>
/// Tests whose assertions are about time (timeouts, recovery, the backplane bound) or that load Redis heavily
/// (a million keys): they run alone, not beside the other test classes, so neither disturbs the other on a 2-core CI machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingSensitive
{
    public const string Name = "Timing-sensitive";
}
