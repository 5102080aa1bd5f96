using System.Diagnostics.Metrics;
using Caching;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the two-tier cache.</summary>
public static class CacheServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="MultiLayerCache"/> as <see cref="IMultiLayerCache"/>, with its options through the
    /// options system: bound from the <c>Cache</c> section and the <c>CACHE_*</c> / <c>REDIS_POOL_SIZE</c>
    /// environment variables (which win), then <paramref name="configure"/>, then any
    /// <c>services.Configure&lt;MultiLayerCacheOptions&gt;</c> / <c>PostConfigure</c> of the application, validated when
    /// the host starts. A bad value stops the start with one line naming the variable or setting. A configuration
    /// reload changes profiles, <c>Cache:Methods</c> overrides and kill switches, default TTLs and fail-safe from the
    /// next call; a reload with a bad value is refused whole and logged. An <c>IConnectionMultiplexer</c> registered
    /// in the container is used instead of a connection of the cache's own (see <see cref="MultiLayerCacheOptions.UseRegisteredConnection"/>).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The application's configuration.</param>
    /// <param name="configure">Adjusts the options after binding (serializer, profiles...).</param>
    public static IServiceCollection AddMultiLayerCache(this IServiceCollection services, IConfiguration configuration, Action<MultiLayerCacheOptions>? configure = null) =>
        AddMultiLayerCache(services, configuration, configure, Environment.GetEnvironmentVariable);

    /// <summary>The configuration overload with the process environment as a parameter, for tests.</summary>
    internal static IServiceCollection AddMultiLayerCache(IServiceCollection services, IConfiguration configuration, Action<MultiLayerCacheOptions>? configure, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        if (IsRegistered(services))
        {
            return services;
        }

        var binding = new CacheConfigurationBinding(configuration, environment);
        services.AddSingleton<IConfigureOptions<MultiLayerCacheOptions>>(binding);
        services.AddSingleton<IOptionsChangeTokenSource<MultiLayerCacheOptions>>(binding);
        if (configure is not null)
        {
            services.Configure(configure);
        }

        return AddCore(services);
    }

    /// <summary>
    /// Registers one <see cref="MultiLayerCache"/> with the given options. They go through the options system too
    /// (<c>Configure</c>, <c>PostConfigure</c> and validation at startup apply to this very instance); nothing reloads them.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="options">The options.</param>
    public static IServiceCollection AddMultiLayerCache(this IServiceCollection services, MultiLayerCacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        if (IsRegistered(services))
        {
            return services;
        }

        services.AddTransient<IOptionsFactory<MultiLayerCacheOptions>>(provider => new InstanceOptionsFactory(
            options,
            provider.GetServices<IConfigureOptions<MultiLayerCacheOptions>>(),
            provider.GetServices<IPostConfigureOptions<MultiLayerCacheOptions>>(),
            provider.GetServices<IValidateOptions<MultiLayerCacheOptions>>()));
        return AddCore(services);
    }

    private static bool IsRegistered(IServiceCollection services) => services.Any(static d => d.ServiceType == typeof(MultiLayerCache));

    private static IServiceCollection AddCore(IServiceCollection services)
    {
        services.AddOptions<MultiLayerCacheOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MultiLayerCacheOptions>, MultiLayerCacheOptionsValidator>());
        services.TryAddSingleton(static provider =>
        {
            var monitor = provider.GetRequiredService<IOptionsMonitor<MultiLayerCacheOptions>>();
            var options = monitor.CurrentValue;
            var logger = provider.GetService<ILogger<MultiLayerCache>>();
            return new MultiLayerCache(
                options,
                provider.GetServices<IndexedCachePatterns>().SelectMany(static registered => registered.Patterns),
                logger,
                provider.GetService<IMeterFactory>(),
                provider.GetService<TimeProvider>(),
                RegisteredConnection.Find(provider, options, logger),
                monitor,
                provider.GetService<global::Caching.Internal.ContainerSerializers>());
        });
        services.TryAddSingleton<IMultiLayerCache>(static provider => provider.GetRequiredService<MultiLayerCache>());

        // The settings the cache runs with, for components that read them (the response cache's size limit, a sample's log).
        services.TryAddSingleton(static provider => provider.GetRequiredService<MultiLayerCache>().Options);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, CacheStartup>());
        return services;
    }

    /// <summary>
    /// Declares pattern shapes (<c>user:*:avatar</c>, <c>tenant:{tenant}:user:*:avatar</c>) whose instances the cache
    /// invalidates with one mark instead of a SCAN of Redis; see <see cref="MultiLayerCacheOptions.IndexedPatterns"/>.
    /// The generated <c>AddCachingDecorators</c> calls it with every <c>[InvalidatesCache]</c> pattern; call it for
    /// patterns your own code passes to <c>InvalidatePatternAsync</c>. Order does not matter; a shape that cannot be
    /// indexed stops the application when the cache is created, naming the shape.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="patterns">The shapes.</param>
    public static IServiceCollection AddIndexedCachePatterns(this IServiceCollection services, params string[] patterns)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(patterns);
        services.AddSingleton(new IndexedCachePatterns([.. patterns]));
        return services;
    }

    /// <summary>Adds the cache's health check: a set/get round trip; Degraded when Redis is down but L1 and the source serve.</summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="tags">Tags for filtering.</param>
    public static IHealthChecksBuilder AddMultiLayerCache(this IHealthChecksBuilder builder, string name = "cache", IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddCheck<CacheHealthCheck>(name, HealthStatus.Unhealthy, tags ?? []);
    }

    /// <summary>
    /// Declares that <paramref name="usedBy"/> (a method, for the message) uses the named profile, so the cache
    /// refuses to start, naming every missing profile and its users, instead of failing each call of the method. The
    /// generated <c>AddCachingDecorators</c> calls it for every <c>[Cached(Profile = ...)]</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="profile">The profile name (matched ignoring case, like <see cref="MultiLayerCacheOptions.Profiles"/>).</param>
    /// <param name="usedBy">Who uses it, such as <c>IUserService.ListAsync</c>.</param>
    public static IServiceCollection AddRequiredCacheProfile(this IServiceCollection services, string profile, string usedBy)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(usedBy);
        services.AddSingleton(new RequiredCacheProfile(profile, usedBy));
        return services;
    }

    /// <summary>
    /// Declares names that <c>Cache:Methods:{name}</c> entries may use (<see cref="CacheEntryOptions.Method"/>), so an
    /// entry that matches none, such as a misspelt kill switch, is logged as a warning at startup and on every reload
    /// instead of silently doing nothing. The generated <c>AddCachingDecorators</c> calls it with every cached method;
    /// call it for the names your own code sets. Without any declared name nothing is checked.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="methods">The names, such as <c>IUserService.GetProfileAsync</c> (matched ignoring case).</param>
    public static IServiceCollection AddCachedMethods(this IServiceCollection services, params string[] methods)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(methods);
        services.AddSingleton(new CachedMethodNames([.. methods]));
        return services;
    }

    private sealed record IndexedCachePatterns(string[] Patterns);

    /// <summary>Creates the cache when the host starts, so Redis is connected (or reported unreachable) before the first request.</summary>
    private sealed class CacheStartup(MultiLayerCache cache) : IHostedService
    {
        // The connection attempt logs "unreachable" once by itself; the probe only makes it happen at startup.
        public async Task StartAsync(CancellationToken cancellationToken) => await cache.ProbeRedisAsync(cancellationToken).ConfigureAwait(false);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
