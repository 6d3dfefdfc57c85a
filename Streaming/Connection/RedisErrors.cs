using StackExchange.Redis;

namespace Ticker.Streaming.Connection;

/// <summary>What a Redis error reply means for the stream provider.</summary>
internal static class RedisErrors
{
    /// <summary>The stream or its consumer group does not exist (deleted, or never created).</summary>
    public static bool IsMissingGroupOrStream(RedisServerException error) =>
        error.Message.StartsWith("NOGROUP", StringComparison.Ordinal)
        || error.Message.Contains("no such key", StringComparison.OrdinalIgnoreCase);

    /// <summary>The consumer group exists already (XGROUP CREATE).</summary>
    public static bool IsGroupExists(RedisServerException error) => error.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal);

    /// <summary>XADD was given an id not greater than the stream's last one.</summary>
    public static bool IsIdTooSmall(RedisServerException error) => error.Message.Contains("equal or smaller", StringComparison.Ordinal);

    /// <summary>
    /// Whether <paramref name="error"/> came from Redis or the connection. A timeout is not a <see cref="RedisException"/>,
    /// and StackExchange.Redis cancels a command that timed out while it still waited to be sent (the provider passes
    /// no cancellation token of its own, so a cancellation can only come from there).
    /// </summary>
    public static bool IsRedisFailure(Exception error) => error is RedisException or RedisTimeoutException or OperationCanceledException;

    /// <summary>Whether a command that failed with <paramref name="error"/> may still have run (a lost reply).</summary>
    public static bool MayHaveRun(Exception error) => error is RedisConnectionException or RedisTimeoutException or OperationCanceledException;
}
