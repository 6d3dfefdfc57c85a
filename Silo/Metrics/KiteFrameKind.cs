namespace Ticker.Silo.Metrics;

/// <summary>The <c>kind</c> label of <c>kite_frames_received_total</c>: what a WebSocket frame from Kite carried.</summary>
public enum KiteFrameKind
{
    /// <summary>A binary frame with one or more tick packets.</summary>
    Ticks = 0,

    /// <summary>The one-byte binary heartbeat.</summary>
    Heartbeat = 1,

    /// <summary>A text frame (order update, error or message).</summary>
    Text = 2,
}
