using Caching.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Caching;

/// <summary>
/// Finds the application's own <see cref="IConnectionMultiplexer"/> (Aspire's <c>AddRedisClient</c>, or
/// <c>services.AddSingleton&lt;IConnectionMultiplexer&gt;(...)</c>) for the cache to share; see
/// <see cref="MultiLayerCacheOptions.UseRegisteredConnection"/>. Keyed registrations are not looked at: a keyed
/// client is the application's choice for one purpose, not a default for everything.
/// </summary>
internal static class RegisteredConnection
{
    public static IConnectionMultiplexer? Find(IServiceProvider provider, MultiLayerCacheOptions options, ILogger? logger)
    {
        if (!options.RedisEnabled || options.UseRegisteredConnection == false)
        {
            return null;
        }

        var connection = provider.GetService<IConnectionMultiplexer>();
        if (connection is null)
        {
            // Validation reports this at startup already; here only when the container cannot tell in advance.
            return options.UseRegisteredConnection == true
                ? throw Missing()
                : null;
        }

        if (logger is not null)
        {
            var endpoint = RedisLayer.FirstEndpoint(connection);
            if (options.RedisConnection != MultiLayerCacheOptions.DefaultRedisConnection)
            {
                Log.ConfiguredConnectionIgnored(logger, endpoint);
            }
            else
            {
                Log.SharingConnection(logger, endpoint);
            }
        }

        return connection;
    }

    /// <summary>Whether <paramref name="options"/> demand a registered connection that the container does not have.</summary>
    public static void Check(MultiLayerCacheOptions options, IServiceProviderIsService? services)
    {
        if (options.RedisEnabled && options.UseRegisteredConnection == true && services is not null && !services.IsService(typeof(IConnectionMultiplexer)))
        {
            throw Missing();
        }
    }

    private static CacheConfigurationException Missing() =>
        new("Cache:UseRegisteredConnection", "true", "an IConnectionMultiplexer registered in the container, and none is (register one, or remove the setting to let the cache connect by itself)");
}
