using System.Diagnostics.Metrics;

namespace Ticker.Silo.Metrics;

/// <summary>
/// Kite WebSocket ingestion metrics (meter <see cref="MeterName"/>): frames and ticks received, decode errors,
/// reconnects, stale connections and open connections.
/// </summary>
/// <remarks>Recorded per frame, not per tick; each method allocates nothing.</remarks>
public sealed class KiteInstruments
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Ticker.Kite";

    /// <summary>Counter <c>{kind}</c>: WebSocket frames received (ticks, heartbeat, text).</summary>
    public const string KiteFramesReceivedTotal = "kite_frames_received_total";

    /// <summary>Counter: tick packets decoded from binary frames.</summary>
    public const string KiteTicksReceivedTotal = "kite_ticks_received_total";

    /// <summary>Counter <c>{reason}</c>: frames or packets that could not be decoded.</summary>
    public const string KiteDecodeErrorsTotal = "kite_decode_errors_total";

    /// <summary>Counter: WebSocket reconnections.</summary>
    public const string KiteWebsocketReconnectsTotal = "kite_websocket_reconnects_total";

    /// <summary>Counter: connections dropped because nothing (not even a heartbeat) arrived in time.</summary>
    public const string KiteWebsocketStaleConnectionsTotal = "kite_websocket_stale_connections_total";

    /// <summary>Gauge: open WebSocket connections (one per account).</summary>
    public const string KiteWebsocketConnections = "kite_websocket_connections";

    private const string KindKey = "kind";
    private const string ReasonKey = "reason";

    private static readonly KeyValuePair<string, object?>[] KindTags = CreateKindTags();

    private readonly Counter<long> _frames;
    private readonly Counter<long> _ticks;
    private readonly Counter<long> _decodeErrors;
    private readonly Counter<long> _reconnects;
    private readonly Counter<long> _stale;
    private int _connections;

    /// <summary>Creates the instruments on the meter <see cref="MeterName"/> of <paramref name="meterFactory"/>.</summary>
    public KiteInstruments(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _frames = meter.CreateCounter<long>(KiteFramesReceivedTotal, "{frame}", "Total WebSocket frames received from Kite, by kind (ticks, heartbeat, text).");
        _ticks = meter.CreateCounter<long>(KiteTicksReceivedTotal, "{tick}", "Total tick packets decoded from Kite binary frames.");
        _decodeErrors = meter.CreateCounter<long>(KiteDecodeErrorsTotal, "{error}", "Total Kite frames or packets that could not be decoded, by reason.");
        _reconnects = meter.CreateCounter<long>(KiteWebsocketReconnectsTotal, "{reconnect}", "Total reconnections of Kite WebSocket connections.");
        _stale = meter.CreateCounter<long>(KiteWebsocketStaleConnectionsTotal, "{connection}", "Total Kite WebSocket connections dropped as stale (no data or heartbeat in time).");
        meter.CreateObservableGauge(KiteWebsocketConnections, () => Volatile.Read(ref _connections), "{connection}", "Open Kite WebSocket connections.");

        foreach (var tag in KindTags)
        {
            _frames.Add(0, tag);
        }

        _ticks.Add(0);
        _reconnects.Add(0);
        _stale.Add(0);
    }

    /// <summary>The metric names this class exports.</summary>
    public static IReadOnlyList<string> MetricNames { get; } =
    [
        KiteFramesReceivedTotal, KiteTicksReceivedTotal, KiteDecodeErrorsTotal, KiteWebsocketReconnectsTotal,
        KiteWebsocketStaleConnectionsTotal, KiteWebsocketConnections,
    ];

    /// <summary>Records a frame received and the tick packets it carried.</summary>
    /// <remarks>Allocates nothing.</remarks>
    public void RecordFrame(KiteFrameKind kind, int ticks)
    {
        _frames.Add(1, KindTags[(uint)kind < (uint)KindTags.Length ? (int)kind : (int)KiteFrameKind.Text]);
        if (ticks > 0)
        {
            _ticks.Add(ticks);
        }
    }

    /// <summary>Records a decode error; the label is the reason's member name in snake_case.</summary>
    /// <remarks>Allocates nothing.</remarks>
    public void RecordDecodeError<TReason>(TReason reason)
        where TReason : struct, Enum
        => RecordDecodeError(EnumLabel<TReason>.Of(reason));

    /// <summary>Records a decode error.</summary>
    /// <param name="reason">A constant, low-cardinality reason.</param>
    /// <remarks>Allocates nothing.</remarks>
    public void RecordDecodeError(string reason) => _decodeErrors.Add(1, new KeyValuePair<string, object?>(ReasonKey, reason));

    /// <summary>Creates the <c>kite_decode_errors_total</c> series of each reason at zero.</summary>
    public void InitializeDecodeReasons(IEnumerable<string> reasons)
    {
        foreach (var reason in reasons)
        {
            _decodeErrors.Add(0, new KeyValuePair<string, object?>(ReasonKey, reason));
        }
    }

    /// <summary>Records a reconnection.</summary>
    public void RecordReconnect() => _reconnects.Add(1);

    /// <summary>Records a connection dropped as stale.</summary>
    public void RecordStaleConnection() => _stale.Add(1);

    /// <summary>Sets the number of open connections.</summary>
    public void SetConnections(int count) => Volatile.Write(ref _connections, count);

    private static KeyValuePair<string, object?>[] CreateKindTags()
    {
        var values = Enum.GetValues<KiteFrameKind>();
        var tags = new KeyValuePair<string, object?>[values.Length];
        foreach (var value in values)
        {
            tags[(int)value] = new(KindKey, EnumLabel<KiteFrameKind>.Of(value));
        }

        return tags;
    }
}
