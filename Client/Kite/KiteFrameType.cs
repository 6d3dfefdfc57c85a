namespace Ticker.Client.Kite;

/// <summary>What a WebSocket message from Kite carried, as reported to an <see cref="IKiteConnectionObserver"/>.</summary>
public enum KiteFrameType
{
    /// <summary>A binary frame with tick packets (or a malformed one).</summary>
    Ticks = 0,

    /// <summary>The 1-byte binary heartbeat.</summary>
    Heartbeat = 1,

    /// <summary>A text message (order, error, message or another type).</summary>
    Text = 2,
}
