using Ticker.Grains.Batching;

namespace Ticker.Grains.Diagnostics;

/// <summary>
/// Running totals of one shard (stream partition), for the status line, <c>/api/status</c> and the status page. The
/// fields marked "worker" or "consumer" have one writer: the partition's consumer grain (or, on the Redis path, the
/// shard worker); flush fields have one writer too: the silo's batcher grain (or the shard's flusher). The latency
/// histograms take any number of writers. Readers tolerate slightly stale values.
/// </summary>
public sealed class ShardStatistics
{
    /// <summary>Creates the statistics of <paramref name="shard"/>.</summary>
    public ShardStatistics(int shard) => Shard = shard;

    /// <summary>The shard.</summary>
    public int Shard { get; }

    /// <summary>Underlying ticks applied (worker).</summary>
    public long UnderlyingTicks;

    /// <summary>Option ticks applied (worker).</summary>
    public long OptionTicks;

    /// <summary>Ticks dropped by validation (worker).</summary>
    public long InvalidTicks;

    /// <summary>Ticks that could not be processed: unknown instrument with validation off (worker).</summary>
    public long ProcessingErrors;

    /// <summary>Redelivered ticks skipped because their instrument's state held them already (consumer).</summary>
    public long RedeliveredTicks;

    /// <summary>Ticks whose delivery completed: applied (snapshots written), dropped as invalid, or skipped (consumer).</summary>
    public long DeliveredTicks;

    /// <summary>Stream entries (batches) whose delivery completed (consumer).</summary>
    public long EntriesDelivered;

    /// <summary>Stream entries read (worker).</summary>
    public long EntriesRead;

    /// <summary>IV solves that succeeded (worker).</summary>
    public long GreeksComputed;

    /// <summary>IV solves with an undefined outcome (worker).</summary>
    public long IvFailures;

    /// <summary>Per-tick processing latency, validate to snapshot (worker).</summary>
    public readonly LatencyHistogram ProcessingLatency = new();

    /// <summary>Batches written (flusher).</summary>
    public long BatchesFlushed;

    /// <summary>Snapshots written (flusher).</summary>
    public long SnapshotsWritten;

    /// <summary>Failed write attempts, retried (flusher).</summary>
    public long FlushFailures;

    /// <summary>Flushes by <see cref="FlushReason"/> (flusher).</summary>
    public readonly long[] FlushesByReason = new long[5];

    /// <summary>Receive time to snapshot written, per snapshot (flusher).</summary>
    public readonly LatencyHistogram EndToEndLatency = new();

    /// <summary>Time to write one batch (flusher).</summary>
    public readonly LatencyHistogram FlushLatency = new();

    /// <summary>Ticks applied.</summary>
    public long TicksProcessed => Volatile.Read(ref UnderlyingTicks) + Volatile.Read(ref OptionTicks);

    /// <summary>Records a batch written: counts, its reason, the write time and each snapshot's end-to-end latency.</summary>
    /// <param name="batch">The batch.</param>
    /// <param name="writeNanoseconds">How long the write took.</param>
    /// <param name="nowUs">Now, Unix microseconds.</param>
    public void RecordFlush(SnapshotBatch batch, long writeNanoseconds, long nowUs)
    {
        BatchesFlushed++;
        SnapshotsWritten += batch.UnderlyingCount + batch.OptionCount;
        FlushesByReason[(int)batch.Reason]++;
        FlushLatency.Record(writeNanoseconds);
        foreach (ref readonly var snapshot in batch.Underlyings.Span)
        {
            EndToEndLatency.Record((nowUs - snapshot.ReceivedAtUs) * 1000);
        }

        foreach (ref readonly var snapshot in batch.Options.Span)
        {
            EndToEndLatency.Record((nowUs - snapshot.ReceivedAtUs) * 1000);
        }
    }
}
