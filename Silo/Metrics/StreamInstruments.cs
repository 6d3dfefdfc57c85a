using System.Globalization;
using Prometheus;

namespace Ticker.Silo.Metrics;

/// <summary>
/// Tick stream metrics (prometheus-net): per shard (a stream queue), entries not yet delivered (lag) and delivered but
/// not acknowledged (pending), entries dead-lettered and trimmed, and takeovers of the queue by this silo; entries read,
/// acknowledged and claimed from a dead silo; the number of queues the stream has.
/// </summary>
/// <remarks>
/// The per-shard figures are recorded by whoever reads the stream (the backlog probe, the stream provider's receivers)
/// when it polls or reacts, not per tick. The <c>shard</c> label is the queue's number, <c>0</c> to <c>queues - 1</c>.
/// </remarks>
public sealed class StreamInstruments
{
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

    /// <summary>Counter <c>{shard}</c>: entries moved to the dead-letter stream because they could not be decoded or delivered.</summary>
    public const string TickStreamEntriesDeadLetteredTotal = "tick_stream_entries_dead_lettered_total";

    /// <summary>Counter <c>{shard}</c>: entries removed from the queue by length trimming (<c>MAXLEN</c>).</summary>
    public const string TickStreamEntriesTrimmedTotal = "tick_stream_entries_trimmed_total";

    /// <summary>Counter <c>{shard}</c>: times this silo took the queue over from another silo (which left or died).</summary>
    public const string TickStreamQueueTakeoversTotal = "tick_stream_queue_takeovers_total";

    /// <summary>Gauge: the number of queues (shards) of the tick stream, as configured.</summary>
    public const string TickStreamQueues = "tick_stream_queues";

    private const string ShardKey = "shard";

    private static readonly string[] ShardLabels = CreateShardLabels(256);

    private readonly Gauge _lag;
    private readonly Gauge _pending;
    private readonly Counter _read;
    private readonly Counter _acked;
    private readonly Counter _claimed;
    private readonly Counter _deadLettered;
    private readonly Counter _trimmed;
    private readonly Counter _takeovers;
    private readonly Gauge _queues;

    /// <summary>Creates the metrics in <paramref name="registry"/>.</summary>
    public StreamInstruments(CollectorRegistry registry)
    {
        var factory = MetricsCatalog.CreateFactory(registry);
        _lag = factory.CreateGauge(TickStreamLag, "Entries in a shard's tick stream not yet delivered to this service, by shard.", [ShardKey]);
        _pending = factory.CreateGauge(TickStreamPendingEntries, "Entries of a shard's tick stream delivered but not yet acknowledged, by shard.", [ShardKey]);
        _read = factory.CreateCounter(TickStreamEntriesReadTotal, "Total tick stream entries read.");
        _acked = factory.CreateCounter(TickStreamEntriesAckedTotal, "Total tick stream entries acknowledged after their snapshots were written.");
        _claimed = factory.CreateCounter(TickStreamEntriesClaimedTotal, "Total pending tick stream entries claimed from a silo whose shard was taken over.");
        _deadLettered = factory.CreateCounter(TickStreamEntriesDeadLetteredTotal, "Total tick stream entries moved to the dead-letter stream, by shard.", [ShardKey]);
        _trimmed = factory.CreateCounter(TickStreamEntriesTrimmedTotal, "Total tick stream entries removed by length trimming, by shard.", [ShardKey]);
        _takeovers = factory.CreateCounter(TickStreamQueueTakeoversTotal, "Total takeovers of a tick stream queue by this silo, by shard.", [ShardKey]);
        _queues = factory.CreateGauge(TickStreamQueues, "Number of queues (shards) of the tick stream.");
    }

    /// <summary>The metric names this class exports.</summary>
    public static IReadOnlyList<string> MetricNames { get; } =
    [
        TickStreamLag, TickStreamPendingEntries, TickStreamEntriesReadTotal, TickStreamEntriesAckedTotal, TickStreamEntriesClaimedTotal,
        TickStreamEntriesDeadLetteredTotal, TickStreamEntriesTrimmedTotal, TickStreamQueueTakeoversTotal, TickStreamQueues,
    ];

    /// <summary>Sets the number of queues of the stream and creates each queue's counters at zero.</summary>
    public void SetQueueCount(int queues)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(queues);
        _queues.Set(queues);
        for (var shard = 0; shard < queues; shard++)
        {
            var label = ShardLabel(shard);
            _ = _deadLettered.WithLabels(label);
            _ = _trimmed.WithLabels(label);
            _ = _takeovers.WithLabels(label);
        }
    }

    /// <summary>Sets a shard's lag (entries not yet delivered).</summary>
    public void SetShardLag(int shard, long entries) => _lag.WithLabels(ShardLabel(shard)).Set(entries);

    /// <summary>Sets a shard's pending entries (delivered, not acknowledged).</summary>
    public void SetShardPendingEntries(int shard, long entries) => _pending.WithLabels(ShardLabel(shard)).Set(entries);

    /// <summary>Forgets a shard this silo no longer owns, so its lag and pending series disappear.</summary>
    public void RemoveShard(int shard)
    {
        var label = ShardLabel(shard);
        _lag.RemoveLabelled(label);
        _pending.RemoveLabelled(label);
    }

    /// <summary>Records entries read.</summary>
    /// <remarks>Allocates nothing.</remarks>
    public void RecordRead(int entries) => _read.Inc(entries);

    /// <summary>Records entries acknowledged.</summary>
    /// <remarks>Allocates nothing.</remarks>
    public void RecordAcked(int entries) => _acked.Inc(entries);

    /// <summary>Records entries claimed on takeover.</summary>
    /// <remarks>Allocates nothing.</remarks>
    public void RecordClaimed(int entries) => _claimed.Inc(entries);

    /// <summary>Records entries of a shard moved to the dead-letter stream.</summary>
    public void RecordDeadLettered(int shard, long entries) => _deadLettered.WithLabels(ShardLabel(shard)).Inc(entries);

    /// <summary>Records entries of a shard removed by trimming.</summary>
    public void RecordTrimmed(int shard, long entries) => _trimmed.WithLabels(ShardLabel(shard)).Inc(entries);

    /// <summary>Records that this silo took a shard's queue over.</summary>
    public void RecordQueueTakeover(int shard) => _takeovers.WithLabels(ShardLabel(shard)).Inc();

    private static string ShardLabel(int shard)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shard);
        return shard < ShardLabels.Length ? ShardLabels[shard] : shard.ToString(CultureInfo.InvariantCulture);
    }

    private static string[] CreateShardLabels(int count)
    {
        var labels = new string[count];
        for (var i = 0; i < count; i++)
        {
            labels[i] = i.ToString(CultureInfo.InvariantCulture);
        }

        return labels;
    }
}
