using Microsoft.Extensions.Logging;

namespace Ticker.Client.Library;

/// <summary>The client library's log messages.</summary>
internal static partial class TickerClientLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Skipped a malformed update on {Channel}: {Error}")]
    public static partial void MalformedUpdate(this ILogger logger, string channel, string error);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Debug, Message = "Unsubscribing from {Channel} did not complete: {Reason}")]
    public static partial void UnsubscribeFailed(this ILogger logger, string channel, string reason);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Skipped a malformed account state '{AccountId}' in tick:accounts")]
    public static partial void MalformedAccount(this ILogger logger, string accountId);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "A subscription fell behind: {Dropped} updates dropped so far (oldest first)")]
    public static partial void UpdatesDropped(this ILogger logger, long dropped);
}
