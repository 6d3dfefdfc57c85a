using Ticker.Protocol.Kite;

namespace Ticker.Client.Kite;

/// <summary>
/// Hears what Kite connections do, for metrics. Called from the receive loops of several connections at once:
/// implementations are thread-safe, quick and allocate nothing.
/// </summary>
public interface IKiteConnectionObserver
{
    /// <summary>A message arrived; <paramref name="ticks"/> is the number of ticks it carried.</summary>
    void OnFrame(KiteFrameType type, int ticks);

    /// <summary>A binary frame could not be decoded (whole or in part).</summary>
    void OnDecodeError(KiteDecodeError error);

    /// <summary>A connection tries again after the first attempt (a reconnect).</summary>
    void OnReconnect();

    /// <summary>The data-silence watchdog closed a connection.</summary>
    void OnStale();

    /// <summary>A connection opened (<paramref name="open"/> true) or closed.</summary>
    void OnConnectionChanged(bool open);
}
