using Caching.AspNetCore;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Puts ASP.NET Core output caching on the two-tier cache.</summary>
public static class OutputCacheStoreServiceCollectionExtensions
{
    /// <summary>
    /// Makes <see cref="MultiLayerOutputCacheStore"/> the application's <see cref="IOutputCacheStore"/>, before or after
    /// <c>services.AddOutputCache()</c> (whose in-memory store it replaces). Needs <c>services.AddMultiLayerCache(...)</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    public static IServiceCollection AddMultiLayerOutputCacheStore(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.RemoveAll<IOutputCacheStore>();
        services.AddSingleton<IOutputCacheStore, MultiLayerOutputCacheStore>();
        return services;
    }
}
