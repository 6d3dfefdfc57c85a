using Prometheus;
using Ticker.Grains.Batching;

namespace Ticker.Silo.Metrics;

/// <summary>
/// Tick batcher metrics (prometheus-net): what each flush wrote, why and how fast, the fill rate and
/// the snapshots waiting in batches.
/// </summary>
/// <remarks>
/// The <c>batch_type</c> label is <c>underlying</c> or <c>options</c>; the flush <c>reason</c> is <c>window</c>,
/// <c>size</c>, <c>idle</c>, <c>shutdown</c> or <c>disabled</c>. <see cref="RecordFlush"/> is called once per flush
/// and allocates nothing.
/// </remarks>
public sealed class BatchingInstruments
{
    /// <summary>Counter <c>{batch_type}</c>: snapshots written by batch flushes.</summary>
    public const string TicksPublishedTotal = "ticks_published_total";

    /// <summary>Histogram <c>{batch_type}</c>: snapshots per flushed batch.</summary>
    public const string TickBatchSize = "tick_batch_size";

    /// <summary>Histogram <c>{batch_type}</c>: time to write one batch to the sink.</summary>
    public const string TickBatchFlushLatencySeconds = "tick_batch_flush_latency_seconds";

    /// <summary>Counter <c>{batch_type,reason}</c>: batches flushed, by why.</summary>
    public const string TickBatchesFlushedTotal = "tick_batches_flushed_total";

    /// <summary>Gauge <c>{batch_type}</c>: batch size over maximum size, averaged over the flushes since the previous collection (0..1).</summary>
    public const string TickBatchFillRate = "tick_batch_fill_rate";

    /// <summary>Gauge <c>{batch_type}</c>: snapshots waiting in batches, summed over the batchers.</summary>
    public const string TickBatchPendingSize = "tick_batch_pending_size";

    private const string BatchTypeKey = "batch_type";
    private const string ReasonKey = "reason";
    private const int BatchTypes = 2;

    // Per batch type, a cache line apart: items flushed and capacity offered since the last scrape.
    private const int CellStride = 16;

    private static readonly string[] BatchTypeLabels = ["underlying", "options"];

    private readonly Counter.Child[] _published = new Counter.Child[BatchTypes];
    private readonly Histogram.Child[] _size = new Histogram.Child[BatchTypes];
    private readonly Histogram.Child[] _latency = new Histogram.Child[BatchTypes];
    private readonly Counter.Child[][] _flushed = new Counter.Child[BatchTypes][];
    private readonly Gauge _fillRate;
    private readonly Gauge.Child[] _pendingSize = new Gauge.Child[BatchTypes];
    private readonly GaugeSources[] _pending = [new(), new()];
    private readonly long[] _fill = new long[BatchTypes * 2 * CellStride];

    /// <summary>Creates the metrics in <paramref name="registry"/>; the gauges are read when it is scraped.</summary>
    public BatchingInstruments(CollectorRegistry registry)
    {
        var factory = MetricsCatalog.CreateFactory(registry);
        var published = factory.CreateCounter(TicksPublishedTotal, "Total snapshots published by batch flushes, by batch type.", [BatchTypeKey]);
        var size = factory.CreateHistogram(TickBatchSize, "Number of snapshots in each flushed batch, by batch type.",
            [BatchTypeKey], new HistogramConfiguration { Buckets = MetricsCatalog.BatchSizeBuckets });
        var latency = factory.CreateHistogram(TickBatchFlushLatencySeconds, "Time to flush a batch to the snapshot sink, by batch type.",
            [BatchTypeKey], new HistogramConfiguration { Buckets = MetricsCatalog.MillisecondLatencyBuckets });
        var flushed = factory.CreateCounter(TickBatchesFlushedTotal, "Total batches flushed, by batch type and reason (window, size, idle, shutdown, disabled).", [BatchTypeKey, ReasonKey]);
        _fillRate = factory.CreateGauge(TickBatchFillRate, "Batch size over maximum batch size, averaged over the flushes since the previous scrape (0..1), by batch type.", [BatchTypeKey]);
        var pendingSize = factory.CreateGauge(TickBatchPendingSize, "Snapshots waiting in batches, by batch type.", [BatchTypeKey]);
        var reasons = Enum.GetValues<FlushReason>();
        for (var type = 0; type < BatchTypes; type++)
        {
            var label = BatchTypeLabels[type];
            _published[type] = published.WithLabels(label);
            _size[type] = size.WithLabels(label);
            _latency[type] = latency.WithLabels(label);
            _pendingSize[type] = pendingSize.WithLabels(label);
            _flushed[type] = new Counter.Child[reasons.Length];
            foreach (var reason in reasons)
            {
                _flushed[type][(int)reason] = flushed.WithLabels(label, EnumLabel<FlushReason>.Of(reason));
            }
        }

        registry.AddBeforeCollectCallback(UpdateGauges);
    }

    /// <summary>The metric names this class exports.</summary>
    public static IReadOnlyList<string> MetricNames { get; } =
    [
        TicksPublishedTotal, TickBatchSize, TickBatchFlushLatencySeconds, TickBatchesFlushedTotal, TickBatchFillRate, TickBatchPendingSize,
    ];

    /// <summary>Records one flushed batch.</summary>
    /// <param name="batchType">Which batch.</param>
    /// <param name="reason">Why it was flushed.</param>
    /// <param name="size">Snapshots written.</param>
    /// <param name="capacity">The maximum batch size (for the fill rate); 0 leaves the fill rate alone.</param>
    /// <param name="elapsedSeconds">Time the write took.</param>
    /// <remarks>Allocates nothing.</remarks>
    public void RecordFlush(BatchType batchType, FlushReason reason, int size, int capacity, double elapsedSeconds)
    {
        var type = (uint)batchType < BatchTypes ? (int)batchType : 0;
        _published[type].Inc(size);
        _size[type].Observe(size);
        _latency[type].Observe(elapsedSeconds);
        var flushed = _flushed[type];
        flushed[(uint)reason < (uint)flushed.Length ? (int)reason : 0].Inc();
        if (capacity > 0)
        {
            Interlocked.Add(ref _fill[type * 2 * CellStride], Math.Min(size, capacity));
            Interlocked.Add(ref _fill[((type * 2) + 1) * CellStride], capacity);
        }
    }

    /// <summary>
    /// Registers a read of one batcher's pending snapshots of a batch type; the gauge sums every registered read.
    /// Dispose the result when the batcher stops.
    /// </summary>
    public IDisposable ObservePendingSize(BatchType batchType, Func<long> pending)
        => _pending[(uint)batchType < BatchTypes ? (int)batchType : 0].Add(pending);

    private void UpdateGauges()
    {
        for (var type = 0; type < BatchTypes; type++)
        {
            _pendingSize[type].Set(_pending[type].Sum());

            // A batch type without flushes since the previous scrape keeps its last fill rate (none before the first).
            var filled = Interlocked.Exchange(ref _fill[type * 2 * CellStride], 0);
            var offered = Interlocked.Exchange(ref _fill[((type * 2) + 1) * CellStride], 0);
            if (offered > 0)
            {
                _fillRate.WithLabels(BatchTypeLabels[type]).Set(Math.Clamp((double)filled / offered, 0, 1));
            }
        }
    }
}
