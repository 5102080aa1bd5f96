using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Caching;

/// <summary>
/// Binds <see cref="MultiLayerCacheOptions"/> from configuration and the process environment through
/// <see cref="CacheSettingsReader"/> (its strict parsing and its precedence: the <c>CACHE_*</c> variables win), and
/// tells the options monitor when the configuration reloads. A value that does not parse is kept on the options for
/// <see cref="MultiLayerCacheOptionsValidator"/> to report, so one place reports every bad setting, at startup and on reload.
/// </summary>
internal sealed class CacheConfigurationBinding(IConfiguration configuration, Func<string, string?> environment)
    : IConfigureOptions<MultiLayerCacheOptions>, IOptionsChangeTokenSource<MultiLayerCacheOptions>
{
    public string Name => Options.DefaultName;

    public void Configure(MultiLayerCacheOptions options)
    {
        try
        {
            CacheSettingsReader.Apply(options, configuration, environment);
        }
        catch (CacheConfigurationException error)
        {
            options.BindingError = error;
        }
    }

    public IChangeToken GetChangeToken() => configuration.GetReloadToken();
}
