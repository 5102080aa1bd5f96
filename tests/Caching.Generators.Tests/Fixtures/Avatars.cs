using System.Collections.Concurrent;

namespace Caching.Generators.Tests.Fixtures;

/// <summary>A pattern that is not a key prefix (the user segment is a wildcard): the generated registration indexes it.</summary>
public interface IAvatarStore
{
    [Cached("tenant:{tenant}:user:{user}:avatar")]
    ValueTask<string> AvatarAsync(string tenant, int user);

    [Cached("tenant:{tenant}:user:{user}:name")]
    ValueTask<string> NameAsync(string tenant, int user);

    [InvalidatesCache("tenant:{tenant}:user:*:avatar")]
    ValueTask ResetAvatarsAsync(string tenant);

    [InvalidatesCache("tenant:{tenant}:user:{user}:*")]
    ValueTask ForgetUserAsync(string tenant, int user);
}

/// <summary>Counts the loads that reach it; every answer carries its load number, so a stale one is recognisable.</summary>
public sealed class AvatarStore : IAvatarStore
{
    private readonly ConcurrentDictionary<string, int> _loads = new();

    public int Loads(string key) => _loads.TryGetValue(key, out var count) ? count : 0;

    public ValueTask<string> AvatarAsync(string tenant, int user) => new(Load($"{tenant}/{user}/avatar"));

    public ValueTask<string> NameAsync(string tenant, int user) => new(Load($"{tenant}/{user}/name"));

    public ValueTask ResetAvatarsAsync(string tenant) => default;

    public ValueTask ForgetUserAsync(string tenant, int user) => default;

    private string Load(string key) => key + "#" + _loads.AddOrUpdate(key, 1, static (_, count) => count + 1);
}
