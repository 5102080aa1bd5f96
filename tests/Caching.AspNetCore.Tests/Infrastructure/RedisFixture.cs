using Caching.Testing;

namespace Caching.AspNetCore.Tests.Infrastructure;

/// <summary>One real redis-server per test class; each test isolates itself with a unique key prefix.</summary>
public sealed class RedisFixture : IDisposable
{
    public RedisServer Redis { get; } = new();

    public void Dispose() => Redis.Dispose();
}
