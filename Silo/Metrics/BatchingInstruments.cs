using Ticker.Grains.Batching;
using System.Diagnostics.Metrics;

namespace Ticker.Silo.Metrics;

/// <summary>
/// Tick batcher metrics (meter <see cref="MeterName"/>): what each flush wrote, why and how fast, the fill rate and
/// the snapshots waiting in batches.
/// </summary>
/// <remarks>
/// The <c>batch_type</c> label is <c>underlying</c> or <c>options</c>; the flush <c>reason</c> is <c>window</c>,
/// <c>size</c>, <c>idle</c>, <c>shutdown</c> or <c>disabled</c>. <see cref="RecordFlush"/> is called once per flush
/// and allocates nothing.
/// </remarks>
public sealed class BatchingInstruments
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Ticker.Batching";

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

    private static readonly KeyValuePair<string, object?>[] BatchTypeTags =
    [
        new(BatchTypeKey, "underlying"),
        new(BatchTypeKey, "options"),
    ];

    private static readonly KeyValuePair<string, object?>[] ReasonTags = CreateReasonTags();

    private readonly Counter<long> _published;
    private readonly Histogram<long> _size;
    private readonly Histogram<double> _latency;
    private readonly Counter<long> _flushed;
    private readonly GaugeSources[] _pending = [new(), new()];

    // Per batch type, at CellStride spacing: items flushed and capacity offered since the last collection.
    private readonly long[] _fill = new long[2 * 2 * Stripes.CellStride];
    private readonly double[] _lastFillRate = [double.NaN, double.NaN];

    /// <summary>Creates the instruments on the meter <see cref="MeterName"/> of <paramref name="meterFactory"/>.</summary>
    public BatchingInstruments(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _published = meter.CreateCounter<long>(TicksPublishedTotal, "{snapshot}", "Total snapshots published by batch flushes, by batch type.");
        _size = meter.CreateHistogram(TickBatchSize, "{snapshot}", "Number of snapshots in each flushed batch, by batch type.",
            tags: null, advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = MetricsCatalog.BatchSizeBuckets });
        _latency = meter.CreateHistogram(TickBatchFlushLatencySeconds, "s", "Time to flush a batch to the snapshot sink, by batch type.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MetricsCatalog.MillisecondLatencyBuckets });
        _flushed = meter.CreateCounter<long>(TickBatchesFlushedTotal, "{batch}", "Total batches flushed, by batch type and reason (window, size, idle, shutdown, disabled).");
        meter.CreateObservableGauge(TickBatchFillRate, ObserveFillRate, null, "Batch size over maximum batch size, averaged over the flushes since the previous scrape (0..1), by batch type.");
        meter.CreateObservableGauge(TickBatchPendingSize, ObservePending, "{snapshot}", "Snapshots waiting in batches, by batch type.");

        foreach (var batchType in BatchTypeTags)
        {
            _published.Add(0, batchType);
            foreach (var reason in ReasonTags)
            {
                _flushed.Add(0, batchType, reason);
            }
        }
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
        var type = (uint)batchType < 2u ? (int)batchType : 0;
        var typeTag = BatchTypeTags[type];
        _published.Add(size, typeTag);
        _size.Record(size, typeTag);
        _latency.Record(elapsedSeconds, typeTag);
        _flushed.Add(1, typeTag, (uint)reason < (uint)ReasonTags.Length ? ReasonTags[(int)reason] : ReasonTags[0]);
        if (capacity > 0)
        {
            Interlocked.Add(ref _fill[type * 2 * Stripes.CellStride], Math.Min(size, capacity));
            Interlocked.Add(ref _fill[((type * 2) + 1) * Stripes.CellStride], capacity);
        }
    }

    /// <summary>
    /// Registers a read of one batcher's pending snapshots of a batch type; the gauge sums every registered read.
    /// Dispose the result when the batcher stops.
    /// </summary>
    public IDisposable ObservePendingSize(BatchType batchType, Func<long> pending)
        => _pending[(uint)batchType < 2u ? (int)batchType : 0].Add(pending);

    private static KeyValuePair<string, object?>[] CreateReasonTags()
    {
        var values = Enum.GetValues<FlushReason>();
        var tags = new KeyValuePair<string, object?>[values.Length];
        foreach (var value in values)
        {
            tags[(int)value] = new(ReasonKey, EnumLabel<FlushReason>.Of(value));
        }

        return tags;
    }

    private IEnumerable<Measurement<double>> ObserveFillRate()
    {
        // Called under the exporter's collection lock, so the reset below and the last values need no lock of their own.
        var measurements = new List<Measurement<double>>(2);
        for (var type = 0; type < 2; type++)
        {
            var filled = Interlocked.Exchange(ref _fill[type * 2 * Stripes.CellStride], 0);
            var offered = Interlocked.Exchange(ref _fill[((type * 2) + 1) * Stripes.CellStride], 0);
            if (offered > 0)
            {
                _lastFillRate[type] = Math.Clamp((double)filled / offered, 0, 1);
            }

            if (!double.IsNaN(_lastFillRate[type]))
            {
                measurements.Add(new Measurement<double>(_lastFillRate[type], BatchTypeTags[type]));
            }
        }

        return measurements;
    }

    private IEnumerable<Measurement<long>> ObservePending() =>
    [
        new Measurement<long>(_pending[0].Sum(), BatchTypeTags[0]),
        new Measurement<long>(_pending[1].Sum(), BatchTypeTags[1]),
    ];
}
