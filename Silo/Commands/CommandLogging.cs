using Microsoft.Extensions.Logging;

namespace Ticker.Silo.Commands;

/// <summary>The logging of commands that run without a host: one line per message, on stderr.</summary>
internal static class CommandLogging
{
    /// <summary>Creates a logger factory writing single lines with a time to stderr, Information and above.</summary>
    public static ILoggerFactory Create() => LoggerFactory.Create(static builder =>
    {
        builder.AddSimpleConsole(static o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.AddConsole(static o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.SetMinimumLevel(LogLevel.Information);
    });
}
