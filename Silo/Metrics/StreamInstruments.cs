using System.Diagnostics.Metrics;

namespace Ticker.Silo.Metrics;

/// <summary>
/// Tick stream metrics (meter <see cref="MeterName"/>): per owned shard, entries not yet delivered (lag) and delivered
/// but not acknowledged (pending); entries read, acknowledged and claimed from a dead silo.
/// </summary>
/// <remarks>The per-shard gauges are set by the shard workers when they poll the stream, not per tick.</remarks>
public sealed class StreamInstruments
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Ticker.Streams";

    /// <summary>Gauge <c>{shard}</c>: entries in the shard's stream not yet delivered to this service's consumer group.</summary>
    public const string TickStreamLag = "tick_stream_lag";

    /// <summary>Gauge <c>{shard}</c>: entries delivered but not yet acknowledged (their snapshots not yet written).</summary>
    public const string TickStreamPendingEntries = "tick_stream_pending_entries";

    /// <summary>Counter: stream entries (each a batch of ticks) read.</summary>
    public const string TickStreamEntriesReadTotal = "tick_stream_entries_read_total";

    /// <summary>Counter: stream entries acknowledged after their snapshots were written.</summary>
    public const string TickStreamEntriesAckedTotal = "tick_stream_entries_acked_total";

    /// <summary>Counter: pending entries claimed from another silo when taking its shard over.</summary>
    public const string TickStreamEntriesClaimedTotal = "tick_stream_entries_claimed_total";

    private readonly ShardValues _lag = new();
    private readonly ShardValues _pending = new();
    private readonly Counter<long> _read;
    private readonly Counter<long> _acked;
    private readonly Counter<long> _claimed;

    /// <summary>Creates the instruments on the meter <see cref="MeterName"/> of <paramref name="meterFactory"/>.</summary>
    public StreamInstruments(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge(TickStreamLag, _lag.Measurements, "{entry}", "Entries in a shard's tick stream not yet delivered to this service, by shard.");
        meter.CreateObservableGauge(TickStreamPendingEntries, _pending.Measurements, "{entry}", "Entries of a shard's tick stream delivered but not yet acknowledged, by shard.");
        _read = meter.CreateCounter<long>(TickStreamEntriesReadTotal, "{entry}", "Total tick stream entries read.");
        _acked = meter.CreateCounter<long>(TickStreamEntriesAckedTotal, "{entry}", "Total tick stream entries acknowledged after their snapshots were written.");
        _claimed = meter.CreateCounter<long>(TickStreamEntriesClaimedTotal, "{entry}", "Total pending tick stream entries claimed from a silo whose shard was taken over.");
        _read.Add(0);
        _acked.Add(0);
        _claimed.Add(0);
    }

    /// <summary>The metric names this class exports.</summary>
    public static IReadOnlyList<string> MetricNames { get; } =
    [
        TickStreamLag, TickStreamPendingEntries, TickStreamEntriesReadTotal, TickStreamEntriesAckedTotal, TickStreamEntriesClaimedTotal,
    ];

    /// <summary>Sets a shard's lag (entries not yet delivered).</summary>
    public void SetShardLag(int shard, long entries) => _lag.Set(shard, entries);

    /// <summary>Sets a shard's pending entries (delivered, not acknowledged).</summary>
    public void SetShardPendingEntries(int shard, long entries) => _pending.Set(shard, entries);

    /// <summary>Forgets a shard this silo no longer owns, so its series disappear.</summary>
    public void RemoveShard(int shard)
    {
        _lag.Remove(shard);
        _pending.Remove(shard);
    }

    /// <summary>Records entries read.</summary>
    /// <remarks>Allocates nothing.</remarks>
    public void RecordRead(int entries) => _read.Add(entries);

    /// <summary>Records entries acknowledged.</summary>
    /// <remarks>Allocates nothing.</remarks>
    public void RecordAcked(int entries) => _acked.Add(entries);

    /// <summary>Records entries claimed on takeover.</summary>
    /// <remarks>Allocates nothing.</remarks>
    public void RecordClaimed(int entries) => _claimed.Add(entries);
}
