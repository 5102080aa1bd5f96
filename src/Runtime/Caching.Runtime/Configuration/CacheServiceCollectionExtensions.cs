using System.Diagnostics.Metrics;
using Caching;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the two-tier cache.</summary>
public static class CacheServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="MultiLayerCache"/> as <see cref="IMultiLayerCache"/>, configured from the <c>Cache</c>
    /// section and the <c>CACHE_*</c> / <c>REDIS_POOL_SIZE</c> environment variables (which win). Settings are read and
    /// validated here, so a bad value stops the application at startup with a message naming the variable.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The application's configuration.</param>
    /// <param name="configure">Adjusts the options after binding (serializer, profiles...).</param>
    public static IServiceCollection AddMultiLayerCache(this IServiceCollection services, IConfiguration configuration, Action<MultiLayerCacheOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new MultiLayerCacheOptions();
        CacheSettingsReader.Apply(options, configuration, Environment.GetEnvironmentVariable);
        configure?.Invoke(options);
        options.Validate();
        return services.AddMultiLayerCache(options);
    }

    /// <summary>Registers one <see cref="MultiLayerCache"/> with the given options.</summary>
    /// <param name="services">The services.</param>
    /// <param name="options">The options.</param>
    public static IServiceCollection AddMultiLayerCache(this IServiceCollection services, MultiLayerCacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        services.TryAddSingleton(options);
        services.TryAddSingleton(static provider => new MultiLayerCache(
            RequireProfiles(provider.GetRequiredService<MultiLayerCacheOptions>(), provider.GetServices<RequiredCacheProfile>()),
            provider.GetServices<IndexedCachePatterns>().SelectMany(static registered => registered.Patterns),
            provider.GetService<ILogger<MultiLayerCache>>(),
            provider.GetService<IMeterFactory>(),
            provider.GetService<TimeProvider>(),
            provider.GetService<global::Caching.Internal.ContainerSerializers>()));
        services.TryAddSingleton<IMultiLayerCache>(static provider => provider.GetRequiredService<MultiLayerCache>());
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

    private static MultiLayerCacheOptions RequireProfiles(MultiLayerCacheOptions options, IEnumerable<RequiredCacheProfile> required)
    {
        var missing = required
            .Where(r => !options.Profiles.ContainsKey(r.Profile))
            .GroupBy(r => r.Profile, StringComparer.OrdinalIgnoreCase)
            .Select(g => $"'{g.Key}' (used by {string.Join(", ", g.Select(r => r.UsedBy).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))})")
            .ToList();
        if (missing.Count > 0)
        {
            var known = options.Profiles.Count == 0 ? "none" : string.Join(", ", options.Profiles.Keys.Order(StringComparer.OrdinalIgnoreCase));
            throw new CacheConfigurationException(
                $"Cache profiles missing from configuration (Cache:Profiles:<name>): {string.Join("; ", missing)}. Profiles configured: {known}.");
        }

        return options;
    }

    private sealed record IndexedCachePatterns(string[] Patterns);

    private sealed record RequiredCacheProfile(string Profile, string UsedBy);

    /// <summary>Creates the cache when the host starts, so Redis is connected (or reported unreachable) before the first request.</summary>
    private sealed class CacheStartup(MultiLayerCache cache) : IHostedService
    {
        // The connection attempt logs "unreachable" once by itself; the probe only makes it happen at startup.
        public async Task StartAsync(CancellationToken cancellationToken) => await cache.ProbeRedisAsync(cancellationToken).ConfigureAwait(false);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
