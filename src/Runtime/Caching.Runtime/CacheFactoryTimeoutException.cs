namespace Caching;

/// <summary>
/// The source did not answer within <see cref="CacheEntryOptions.FactoryHardTimeout"/> and no stale value could be
/// served instead. The load goes on in the background and caches its value when it finishes.
/// </summary>
public sealed class CacheFactoryTimeoutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    public CacheFactoryTimeoutException()
        : base("The cache's source did not answer in time.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public CacheFactoryTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public CacheFactoryTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The key whose load timed out (empty when unknown). Keys may hold personal data: log it at Debug only.</summary>
    public string Key { get; init; } = string.Empty;

    /// <summary>The hard timeout that elapsed.</summary>
    public TimeSpan Timeout { get; init; }
}
