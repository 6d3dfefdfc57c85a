using Ticker.Grains.Batching;
using Ticker.Grains.Interfaces.Pricing;
using Ticker.Grains.Validation;

namespace Ticker.Grains.Diagnostics;

/// <summary>
/// What the tick pipeline (partition consumers applying ticks, and the batcher) reports as
/// it goes: the seam between the hot path and the metrics. Implementations are thread-safe. Per-tick methods must be
/// cheap and allocation-free; latencies are in <see cref="System.Diagnostics.Stopwatch"/> ticks.
/// </summary>
public interface IPipelineObserver
{
    /// <summary>An underlying tick was applied.</summary>
    void OnUnderlyingTick(long elapsed, int instrumentId, double lastPrice);

    /// <summary>An option tick was applied; <paramref name="greeksElapsed"/> is the IV + Greeks part.</summary>
    void OnOptionTick(long elapsed, IvStatus status, long greeksElapsed, bool depthUpdated);

    /// <summary>Redelivered ticks (after a failover or a retried delivery) were skipped: their instrument's state held them already.</summary>
    void OnRedeliveredTicks(int count);

    /// <summary>Ticks were dropped by validation.</summary>
    void OnInvalidTicks(TickValidationReason reason, int count);

    /// <summary>Strict validation rejected a whole entry.</summary>
    void OnBatchRejected();

    /// <summary>A tick could not be processed.</summary>
    void OnProcessingError(ProcessingError error);

    /// <summary>Reading the stream failed (retried).</summary>
    void OnReadError();

    /// <summary>A write or acknowledgement failed (retried).</summary>
    void OnFlushError();

    /// <summary>A batch was flushed from the batcher (queued for writing).</summary>
    void OnBatchDetached(SnapshotBatch batch, int maxBatchSize);

    /// <summary>A batch was written and its entries acknowledged.</summary>
    void OnBatchWritten(SnapshotBatch batch, long writeElapsed, long nowUs);

    /// <summary>Idle grains were deactivated.</summary>
    void OnDeactivated(int count);
}
