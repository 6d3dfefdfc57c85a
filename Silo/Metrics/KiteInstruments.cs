using System.Collections.Concurrent;
using Prometheus;

namespace Ticker.Silo.Metrics;

/// <summary>
/// Kite WebSocket ingestion metrics (prometheus-net): frames and ticks received, decode errors,
/// reconnects, stale connections and open connections.
/// </summary>
/// <remarks>Recorded per frame, not per tick; each method allocates nothing.</remarks>
public sealed class KiteInstruments
{
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

    /// <summary>Counter <c>{change}</c>: this silo acquiring, losing or releasing the lease of a Kite account.</summary>
    public const string KiteAccountOwnershipChangesTotal = "kite_account_ownership_changes_total";

    /// <summary>Gauge: Kite accounts whose lease this silo holds (the accounts it streams).</summary>
    public const string KiteAccountsOwned = "kite_accounts_owned";

    private const string KindKey = "kind";
    private const string ChangeKey = "change";
    private const string ReasonKey = "reason";

    private readonly Counter.Child[] _frames;
    private readonly Counter _ticks;
    private readonly Counter _decodeErrors;
    private readonly ConcurrentDictionary<string, Counter.Child> _decodeReasons = new(StringComparer.Ordinal);
    private readonly Counter _reconnects;
    private readonly Counter _stale;
    private readonly Gauge _connections;
    private readonly Counter.Child[] _ownershipChanges;
    private readonly Gauge _accountsOwned;

    /// <summary>Creates the metrics in <paramref name="registry"/>.</summary>
    public KiteInstruments(CollectorRegistry registry)
    {
        var factory = MetricsCatalog.CreateFactory(registry);
        var frames = factory.CreateCounter(KiteFramesReceivedTotal, "Total WebSocket frames received from Kite, by kind (ticks, heartbeat, text).", [KindKey]);
        _ticks = factory.CreateCounter(KiteTicksReceivedTotal, "Total tick packets decoded from Kite binary frames.");
        _decodeErrors = factory.CreateCounter(KiteDecodeErrorsTotal, "Total Kite frames or packets that could not be decoded, by reason.", [ReasonKey]);
        _reconnects = factory.CreateCounter(KiteWebsocketReconnectsTotal, "Total reconnections of Kite WebSocket connections.");
        _stale = factory.CreateCounter(KiteWebsocketStaleConnectionsTotal, "Total Kite WebSocket connections dropped as stale (no data or heartbeat in time).");
        _connections = factory.CreateGauge(KiteWebsocketConnections, "Open Kite WebSocket connections.");
        var changes = factory.CreateCounter(KiteAccountOwnershipChangesTotal, "Total changes of this silo's hold on Kite accounts, by change (acquired, lost, released).", [ChangeKey]);
        _accountsOwned = factory.CreateGauge(KiteAccountsOwned, "Kite accounts whose lease this silo holds, so it streams them.");
        var changeValues = Enum.GetValues<AccountOwnershipChange>();
        _ownershipChanges = new Counter.Child[changeValues.Length];
        foreach (var change in changeValues)
        {
            _ownershipChanges[(int)change] = changes.WithLabels(EnumLabel<AccountOwnershipChange>.Of(change));
        }

        var kinds = Enum.GetValues<KiteFrameKind>();
        _frames = new Counter.Child[kinds.Length];
        foreach (var kind in kinds)
        {
            _frames[(int)kind] = frames.WithLabels(EnumLabel<KiteFrameKind>.Of(kind));
        }
    }

    /// <summary>The metric names this class exports.</summary>
    public static IReadOnlyList<string> MetricNames { get; } =
    [
        KiteFramesReceivedTotal, KiteTicksReceivedTotal, KiteDecodeErrorsTotal, KiteWebsocketReconnectsTotal,
        KiteWebsocketStaleConnectionsTotal, KiteWebsocketConnections, KiteAccountOwnershipChangesTotal, KiteAccountsOwned,
    ];

    /// <summary>Records a frame and the ticks it carried.</summary>
    /// <remarks>Allocates nothing.</remarks>
    public void RecordFrame(KiteFrameKind kind, int ticks)
    {
        _frames[(uint)kind < (uint)_frames.Length ? (int)kind : (int)KiteFrameKind.Text].Inc();
        if (ticks > 0)
        {
            _ticks.Inc(ticks);
        }
    }

    /// <summary>Records a decode error; its label is the member name in snake_case.</summary>
    /// <remarks>Allocates nothing once the reason has been seen.</remarks>
    public void RecordDecodeError<TReason>(TReason reason)
        where TReason : struct, Enum
        => RecordDecodeError(EnumLabel<TReason>.Of(reason));

    /// <summary>Records a decode error with a constant, low-cardinality reason.</summary>
    /// <remarks>Allocates nothing once the reason has been seen.</remarks>
    public void RecordDecodeError(string reason) => DecodeReason(reason).Inc();

    /// <summary>Creates the <c>kite_decode_errors_total</c> series of each reason at zero.</summary>
    public void InitializeDecodeReasons(IEnumerable<string> reasons)
    {
        ArgumentNullException.ThrowIfNull(reasons);
        foreach (var reason in reasons)
        {
            _ = DecodeReason(reason);
        }
    }

    /// <summary>Records a reconnection.</summary>
    public void RecordReconnect() => _reconnects.Inc();

    /// <summary>Records a connection dropped as stale.</summary>
    public void RecordStaleConnection() => _stale.Inc();

    /// <summary>Sets the number of open connections.</summary>
    public void SetConnections(int count) => _connections.Set(count);

    /// <summary>Records a change of this silo's hold on an account and the number of accounts it holds now.</summary>
    public void RecordOwnershipChange(AccountOwnershipChange change, int owned)
    {
        _ownershipChanges[(int)change].Inc();
        _accountsOwned.Set(owned);
    }

    private Counter.Child DecodeReason(string reason)
        => _decodeReasons.TryGetValue(reason, out var child)
            ? child
            : _decodeReasons.GetOrAdd(reason, static (key, counter) => counter.WithLabels(key), _decodeErrors);
}
