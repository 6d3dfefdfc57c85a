namespace Ticker.Protocol.Resp;

/// <summary>Describes a connection going down or coming back.</summary>
/// <param name="isConnected">Whether the connection is now up.</param>
/// <param name="reconnectCount">How many times the connection has been re-established since it was created.</param>
/// <param name="failure">Why it went down (<see langword="null"/> when it came back).</param>
public sealed class RedisConnectionStateChangedEventArgs(bool isConnected, long reconnectCount, Exception? failure) : EventArgs
{
    /// <summary>Whether the connection is now up.</summary>
    public bool IsConnected { get; } = isConnected;

    /// <summary>How many times the connection has been re-established since it was created.</summary>
    public long ReconnectCount { get; } = reconnectCount;

    /// <summary>Why it went down (<see langword="null"/> when it came back).</summary>
    public Exception? Failure { get; } = failure;
}
