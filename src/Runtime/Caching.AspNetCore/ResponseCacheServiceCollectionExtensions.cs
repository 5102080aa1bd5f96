using Caching.AspNetCore;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the response-caching middleware's options.</summary>
public static class ResponseCacheServiceCollectionExtensions
{
    /// <summary>Configures <see cref="MultiLayerResponseCacheOptions"/> (the middleware works with the defaults without this call).</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options.</param>
    public static IServiceCollection AddMultiLayerResponseCache(this IServiceCollection services, Action<MultiLayerResponseCacheOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<MultiLayerResponseCacheOptions>();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        builder.Validate(o => o.MaxValueBytes is null or > 0 && !string.IsNullOrWhiteSpace(o.KeyPrefix), "MaxValueBytes must be positive and KeyPrefix non-empty.");
        return services;
    }
}
