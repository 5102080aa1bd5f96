namespace Caching;

/// <summary>A cache setting has a value that cannot be used; the message names the setting, the value and what was expected.</summary>
public sealed class CacheConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="setting">The environment variable or configuration key.</param>
    /// <param name="value">The rejected value.</param>
    /// <param name="expected">What would have been accepted.</param>
    public CacheConfigurationException(string setting, string? value, string expected)
        : base($"Invalid cache setting {setting}='{value}': expected {expected}.")
    {
        Setting = setting;
    }

    /// <summary>Creates the exception with a message.</summary>
    public CacheConfigurationException()
        : this("(unknown)", null, "a valid value")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public CacheConfigurationException(string message)
        : base(message)
    {
        Setting = string.Empty;
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public CacheConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Setting = string.Empty;
    }

    /// <summary>The environment variable or configuration key whose value was rejected.</summary>
    public string Setting { get; } = string.Empty;

    /// <summary>
    /// The type and the message, without the stack: the error is in a value, not in code, and a host that fails to
    /// start logs this text, where the options pipeline's frames would bury the one line that names the setting.
    /// <see cref="Exception.StackTrace"/> still has them.
    /// </summary>
    public override string ToString() => GetType().FullName + ": " + Message;
}
