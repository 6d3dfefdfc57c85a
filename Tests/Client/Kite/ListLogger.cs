using Microsoft.Extensions.Logging;

namespace Ticker.Tests.Client.Kite;

/// <summary>A logger that keeps every formatted line (thread-safe), to assert what is logged and what never is.</summary>
internal sealed class ListLogger : ILogger
{
    private readonly List<string> _lines = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lock)
            {
                return [.. _lines];
            }
        }
    }

    public bool Contains(string text) => Lines.Any(l => l.Contains(text, StringComparison.Ordinal));

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var line = $"{logLevel}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}";
        lock (_lock)
        {
            _lines.Add(line);
        }
    }
}
