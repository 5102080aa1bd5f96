using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Caching.Runtime.Tests.Infrastructure;

/// <summary>Collects log entries so tests can assert that failures were logged.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    /// <summary>Every entry, with its exception's full text (what a console or file provider would write).</summary>
    public ConcurrentQueue<(LogLevel Level, EventId Id, string Message, string? Exception)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, eventId, formatter(state, exception), exception?.ToString()));

    public bool Has(int eventId) => Entries.Any(e => e.Id.Id == eventId);

    /// <summary>Entries at Warning or above: what an operator's default filter shows.</summary>
    public List<(LogLevel Level, EventId Id, string Message, string? Exception)> Warnings() => [.. Entries.Where(e => e.Level >= LogLevel.Warning)];
}
