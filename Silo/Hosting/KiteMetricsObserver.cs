using Ticker.Client.Kite;
using Ticker.Protocol.Kite;
using Ticker.Silo.Metrics;

namespace Ticker.Silo.Hosting;

/// <summary>Feeds what Kite connections do into the <c>kite_*</c> metrics (<see cref="KiteInstruments"/>).</summary>
/// <remarks>Thread-safe; every method allocates nothing.</remarks>
public sealed class KiteMetricsObserver : IKiteConnectionObserver
{
    private readonly KiteInstruments _instruments;
    private int _open;

    /// <summary>Creates the observer over the silo's Kite instruments.</summary>
    public KiteMetricsObserver(KiteInstruments instruments)
    {
        ArgumentNullException.ThrowIfNull(instruments);
        _instruments = instruments;
    }

    /// <inheritdoc />
    public void OnFrame(KiteFrameType type, int ticks) => _instruments.RecordFrame(
        type switch
        {
            KiteFrameType.Heartbeat => KiteFrameKind.Heartbeat,
            KiteFrameType.Text => KiteFrameKind.Text,
            _ => KiteFrameKind.Ticks,
        },
        ticks);

    /// <inheritdoc />
    public void OnDecodeError(KiteDecodeError error) => _instruments.RecordDecodeError(error);

    /// <inheritdoc />
    public void OnReconnect() => _instruments.RecordReconnect();

    /// <inheritdoc />
    public void OnStale() => _instruments.RecordStaleConnection();

    /// <inheritdoc />
    public void OnConnectionChanged(bool open) => _instruments.SetConnections(Interlocked.Add(ref _open, open ? 1 : -1));
}
