using Microsoft.Extensions.Logging;

namespace Ticker.Protocol.Resp;

/// <summary>The RESP client's log messages. Endpoints are logged as <c>host:port</c>; secrets never are.</summary>
internal static partial class RedisLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Connected to Redis at {EndPoint} (db {Database}, {Kind})")]
    public static partial void Connected(this ILogger logger, string endPoint, int database, string kind);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Lost the Redis connection to {EndPoint} ({Kind}): {Reason}")]
    public static partial void Disconnected(this ILogger logger, string endPoint, string kind, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Reconnecting to Redis at {EndPoint} ({Kind}) failed (attempt {Attempt}, next in {DelayMilliseconds} ms): {Reason}")]
    public static partial void ReconnectFailed(this ILogger logger, string endPoint, string kind, int attempt, long delayMilliseconds, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Reconnected to Redis at {EndPoint} ({Kind}) after {Attempts} attempt(s); {ReconnectCount} reconnect(s) so far")]
    public static partial void Reconnected(this ILogger logger, string endPoint, string kind, int attempts, long reconnectCount);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "A ConnectionStateChanged handler threw")]
    public static partial void StateHandlerFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Resubscribing on {EndPoint} failed: {Reason}")]
    public static partial void ResubscribeFailed(this ILogger logger, string endPoint, string reason);
}
