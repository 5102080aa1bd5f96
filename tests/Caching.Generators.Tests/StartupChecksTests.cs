using Caching.Generators.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Caching.Generators.Tests;

/// <summary>
/// Mistakes the generated registration turns into a failed start of a real host, with a message naming the cause,
/// instead of errors on every call (a profile missing from configuration) or silently uncached calls
/// (<c>AddCachingDecorators</c> called before the registration it should decorate).
/// </summary>
public sealed class StartupChecksTests
{
    private const string Consumer = """
        using System.Threading.Tasks;
        using Caching;
        using Microsoft.Extensions.DependencyInjection;

        namespace Consumer;

        public interface IUsers
        {
            [Cached("user:{id}", Profile = "fast-changing")]
            ValueTask<string> GetAsync(int id);

            [Cached("users:list", Profile = "slow")]
            ValueTask<string> ListAsync();

            [Cached("users:count", Profile = "fast-changing")]
            ValueTask<int> CountAsync();
        }

        public sealed class Users : IUsers
        {
            public int Loads;

            public ValueTask<string> GetAsync(int id) => new("user " + id + " #" + ++Loads);

            public ValueTask<string> ListAsync() => new("all");

            public ValueTask<int> CountAsync() => new(1);
        }

        public static class Setup
        {
            public static void Register(IServiceCollection services, bool decoratorsFirst)
            {
                if (decoratorsFirst)
                {
                    services.AddCachingDecorators();
                    services.AddSingleton<IUsers, Users>();
                }
                else
                {
                    services.AddSingleton<IUsers, Users>();
                    services.AddCachingDecorators();
                }
            }

            public static async Task<string> CallTwiceAsync(System.IServiceProvider provider)
            {
                var users = provider.GetRequiredService<IUsers>();
                return await users.GetAsync(1) + "|" + await users.GetAsync(1) + "|" + users.GetType().Name;
            }
        }
        """;

    [Fact]
    public async Task A_missing_profile_stops_the_host_naming_each_missing_profile_and_its_methods()
    {
        using var consumer = ConsumerAssembly.Compile(Consumer);
        using var host = Host(consumer, decoratorsFirst: false, options => options.Profiles["SLOW"] = new CacheProfile { LocalTtl = TimeSpan.FromMinutes(1) });

        var error = await Assert.ThrowsAsync<CacheConfigurationException>(() => host.StartAsync());

        Assert.Equal(
            "Cache profiles missing from configuration (Cache:Profiles:<name>): 'fast-changing' (used by Consumer.IUsers.CountAsync, Consumer.IUsers.GetAsync). Profiles configured: SLOW.",
            error.Message);
    }

    [Fact]
    public async Task With_every_profile_configured_the_host_starts_and_calls_are_cached()
    {
        using var consumer = ConsumerAssembly.Compile(Consumer);
        using var host = Host(consumer, decoratorsFirst: false, options =>
        {
            options.Profiles["fast-changing"] = new CacheProfile { LocalTtl = TimeSpan.FromSeconds(10) };
            options.Profiles["slow"] = new CacheProfile { LocalTtl = TimeSpan.FromMinutes(10) };
        });

        await host.StartAsync();

        Assert.Equal("user 1 #1|user 1 #1|UsersCachingDecorator", await CallTwiceAsync(consumer, host.Services));
        await host.StopAsync();
    }

    [Fact]
    public async Task Decorators_added_before_the_registration_stop_the_host_naming_the_interface()
    {
        using var consumer = ConsumerAssembly.Compile(Consumer);
        using var host = Host(consumer, decoratorsFirst: true, AllProfiles);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Equal(
            "Consumer.IUsers was registered after services.AddCachingDecorators() ran, so its calls would not be cached. Call AddCachingDecorators() after registering the services it decorates.",
            error.Message);
    }

    [Fact]
    public async Task Decorators_added_after_the_registration_start_and_decorate()
    {
        using var consumer = ConsumerAssembly.Compile(Consumer);
        using var host = Host(consumer, decoratorsFirst: false, AllProfiles);

        await host.StartAsync();

        Assert.Equal("user 1 #1|user 1 #1|UsersCachingDecorator", await CallTwiceAsync(consumer, host.Services));
        await host.StopAsync();
    }

    private static void AllProfiles(MultiLayerCacheOptions options)
    {
        options.Profiles["fast-changing"] = new CacheProfile();
        options.Profiles["slow"] = new CacheProfile();
    }

    private static IHost Host(ConsumerAssembly consumer, bool decoratorsFirst, Action<MultiLayerCacheOptions> configure)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        var options = Pods.Options(null, Pods.UniquePrefix("startup"));
        configure(options);
        builder.Services.AddMultiLayerCache(options);
        consumer.Assembly.GetType("Consumer.Setup", throwOnError: true)!.GetMethod("Register")!.Invoke(null, [builder.Services, decoratorsFirst]);
        return builder.Build();
    }

    private static Task<string> CallTwiceAsync(ConsumerAssembly consumer, IServiceProvider provider) =>
        (Task<string>)consumer.Assembly.GetType("Consumer.Setup", throwOnError: true)!.GetMethod("CallTwiceAsync")!.Invoke(null, [provider])!;
}
