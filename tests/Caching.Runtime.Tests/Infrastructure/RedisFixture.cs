using Caching.Testing;

namespace Caching.Runtime.Tests.Infrastructure;

/// <summary>One real redis-server per test class; tests isolate themselves with a unique key prefix.</summary>
public sealed class RedisFixture : IDisposable
{
    public RedisServer Redis { get; } = new();

    public void Dispose() => Redis.Dispose();
}
