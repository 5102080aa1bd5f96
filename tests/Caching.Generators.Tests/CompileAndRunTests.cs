using Caching.Generators.Tests.Infrastructure;

namespace Caching.Generators.Tests;

/// <summary>Consumers compiled in memory through the generator, run against real caches on a real redis-server.</summary>
public sealed class CompileAndRunTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private const string Profiles = """
        using System.Threading.Tasks;
        using Caching;

        namespace Consumer;

        public interface IProfiles
        {
            [Cached("user:{userId}:profile")]
            ValueTask<string> GetAsync(string userId);

            [InvalidatesCache("user:{userId}:*")]
            ValueTask UpdateAsync(string userId);
        }

        public sealed class Profiles : IProfiles
        {
            public int Loads;

            public ValueTask<string> GetAsync(string userId) => new("profile of " + userId + " #" + ++Loads);

            public ValueTask UpdateAsync(string userId) => default;
        }

        public static class Scenario
        {
            public static async Task<string> RunAsync(IMultiLayerCache cache)
            {
                var source = new Profiles();
                IProfiles profiles = new ProfilesCachingDecorator(source, cache);
                var a = await profiles.GetAsync("a");
                await profiles.GetAsync("*");
                await profiles.GetAsync("a:x");

                // The value "*" is escaped: the pattern becomes user:%2A:*, so it cannot widen to every user.
                await profiles.UpdateAsync("*");
                var aAgain = await profiles.GetAsync("a");
                await profiles.GetAsync("a:x");
                var star = await profiles.GetAsync("*");
                return $"{source.Loads}|{a}|{aAgain}|{star}";
            }
        }
        """;

    [Fact]
    public async Task An_argument_value_never_widens_an_invalidation_pattern()
    {
        await using var cache = await Pods.CreateAsync(redis.Server, Pods.UniquePrefix("escape"));
        using var consumer = ConsumerAssembly.Compile(Profiles);

        var result = await consumer.RunScenarioAsync(cache);

        Assert.Equal("4|profile of a #1|profile of a #1|profile of * #4", result);
    }

    [Fact]
    public async Task After_a_DTO_changes_shape_old_entries_are_a_clean_miss()
    {
        var prefix = Pods.UniquePrefix("schema");
        const string version1 = "public sealed record Dto(int Id, string Name);";
        const string version2 = "public sealed record Dto(int Id, string Name, string Email);";

        var before = await RunDtoScenarioAsync(prefix, version1, "new Dto(id, \"n\" + id)");
        var redeployedSame = await RunDtoScenarioAsync(prefix, version1, "new Dto(id, \"n\" + id)");
        var redeployedChanged = await RunDtoScenarioAsync(prefix, version2, "new Dto(id, \"n\" + id, \"e\" + id)");

        Assert.Equal("loads=1 value=Dto { Id = 5, Name = n5 }", before);
        Assert.Equal("loads=0 value=Dto { Id = 5, Name = n5 }", redeployedSame);
        Assert.Equal("loads=1 value=Dto { Id = 5, Name = n5, Email = e5 }", redeployedChanged);
    }

    /// <summary>One "deployment": a fresh pod and a consumer compiled with the given DTO, reading key dto:5.</summary>
    private async Task<string> RunDtoScenarioAsync(string prefix, string dto, string create)
    {
        var source = $$"""
            using System.Threading.Tasks;
            using Caching;

            namespace Consumer;

            {{dto}}

            public interface IDtos
            {
                [Cached("dto:{id}")]
                Task<Dto> GetAsync(int id);
            }

            public sealed class Dtos : IDtos
            {
                public int Loads;

                public Task<Dto> GetAsync(int id)
                {
                    Loads++;
                    return Task.FromResult({{create}});
                }
            }

            public static class Scenario
            {
                public static async Task<string> RunAsync(IMultiLayerCache cache)
                {
                    var source = new Dtos();
                    IDtos dtos = new DtosCachingDecorator(source, cache);
                    var value = await dtos.GetAsync(5);
                    return "loads=" + source.Loads + " value=" + value;
                }
            }
            """;
        await using var cache = await Pods.CreateAsync(redis.Server, prefix);
        using var consumer = ConsumerAssembly.Compile(source);
        return await consumer.RunScenarioAsync(cache);
    }
}
