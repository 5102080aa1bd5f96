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
/// exception prints the stack of its pipeline, which tells an operator nothing. A <c>Cache:Methods</c> entry that names
/// no declared method is a warning.
/// </summary>
internal sealed class MultiLayerCacheOptionsValidator(
    IEnumerable<RequiredCacheProfile> requiredProfiles,
    IEnumerable<CachedMethodNames> methodNames,
    ILoggerFactory? loggers = null,
    IServiceProviderIsService? services = null)
    : IValidateOptions<MultiLayerCacheOptions>
{
    private readonly ILogger _logger = loggers?.CreateLogger<MultiLayerCache>() ?? (ILogger)NullLogger.Instance;
    private int _accepted;
    private string _lastUnknown = string.Empty;

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

        // A misspelt kill switch would do nothing, silently, when it is needed most: say so, without refusing the
        // settings. Once per change of the set: one reload can validate twice (a provider and the root both signal it).
        var unknown = string.Join(", ", CachedMethodNames.Unknown(options, methodNames).Select(name => "Cache:Methods:" + name));
        if (Interlocked.Exchange(ref _lastUnknown, unknown) != unknown && unknown.Length > 0)
        {
            Log.UnknownMethods(_logger, unknown);
        }

        Volatile.Write(ref _accepted, 1);
        return ValidateOptionsResult.Success;
    }
}
