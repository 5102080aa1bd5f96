using Caching.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Caching;

/// <summary>
/// Validates the options wherever the options system builds them: at startup (<c>ValidateOnStart</c>) and on every
/// configuration reload. A bad value is one line naming the setting: logged Critical when the application cannot
/// start with it, Error when a reload brings it (the cache then keeps the settings it runs with), and thrown as
/// <see cref="CacheConfigurationException"/> rather than returned as a failure, because the options system's own
/// exception prints the stack of its pipeline, which tells an operator nothing.
/// </summary>
internal sealed class MultiLayerCacheOptionsValidator(IEnumerable<RequiredCacheProfile> requiredProfiles, ILoggerFactory? loggers = null, IServiceProviderIsService? services = null)
    : IValidateOptions<MultiLayerCacheOptions>
{
    private readonly ILogger _logger = loggers?.CreateLogger<MultiLayerCache>() ?? (ILogger)NullLogger.Instance;
    private int _accepted;

    public ValidateOptionsResult Validate(string? name, MultiLayerCacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            if (options.BindingError is { } bindingError)
            {
                throw bindingError;
            }

            options.Validate();
            RequiredCacheProfile.Check(options, requiredProfiles);
            RegisteredConnection.Check(options, services);
        }
        catch (CacheConfigurationException error)
        {
            if (Volatile.Read(ref _accepted) == 0)
            {
                Log.SettingsInvalid(_logger, error.Message);
            }
            else
            {
                Log.SettingsReloadRejected(_logger, error.Message);
            }

            throw;
        }

        Volatile.Write(ref _accepted, 1);
        return ValidateOptionsResult.Success;
    }
}
