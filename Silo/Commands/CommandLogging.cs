using Microsoft.Extensions.Logging;

namespace Ticker.Silo.Commands;

/// <summary>The logging of commands that run without a host: one line per message, on stderr.</summary>
internal static class CommandLogging
{
    /// <summary>Creates a logger factory writing single lines with a time to stderr, Information and above.</summary>
    public static ILoggerFactory Create() => LoggerFactory.Create(static builder =>
    {
        AddSingleLineConsole(builder);
        builder.SetMinimumLevel(LogLevel.Information);
    });

    /// <summary>Adds the ticker's console format: one line per message with a time, all on stderr.</summary>
    public static ILoggingBuilder AddSingleLineConsole(ILoggingBuilder builder)
    {
        builder.AddSimpleConsole(static o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        return builder.AddConsole(static o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    }
}
