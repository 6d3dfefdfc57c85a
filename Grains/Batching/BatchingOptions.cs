namespace Ticker.Grains.Batching;

/// <summary>Settings of the per-shard <see cref="TickBatcher"/>. Section <c>Batching</c>.</summary>
public sealed class BatchingOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Batching";

    /// <summary>The default value for <see cref="WindowMs"/>: 100 ms, as the Phase 4 plan set it.</summary>
    public const int DefaultWindowMs = 100;

    /// <summary>The default value for <see cref="MaxBatchSize"/>: 1000 snapshots.</summary>
    public const int DefaultMaxBatchSize = 1000;

    /// <summary>The default value for <see cref="MaxPendingBatches"/>: 4 flushes queued per shard.</summary>
    public const int DefaultMaxPendingBatches = 4;

    /// <summary>Batch snapshots (off: publish each tick on its own, the Phase 4 baseline).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Longest time a snapshot waits in a batch, in milliseconds; 1 to 10,000.</summary>
    public int WindowMs { get; set; } = DefaultWindowMs;

    /// <summary>Snapshots per batch (underlying and option batches each) before a size flush; 1 to 100,000.</summary>
    public int MaxBatchSize { get; set; } = DefaultMaxBatchSize;

    /// <summary>Flush as soon as the input is idle and the previous flush is done, so latency stays low at low load.</summary>
    public bool IdleFlush { get; set; } = true;

    /// <summary>Keep only the latest snapshot per instrument within a batch.</summary>
    public bool Conflate { get; set; }

    /// <summary>Flushed batches queued for writing per shard before the reader waits (back-pressure); 1 to 1,000.</summary>
    public int MaxPendingBatches { get; set; } = DefaultMaxPendingBatches;
}
