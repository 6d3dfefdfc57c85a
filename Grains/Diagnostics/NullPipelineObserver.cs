using Ticker.Grains.Batching;
using Ticker.Grains.Interfaces.Pricing;
using Ticker.Grains.Validation;

namespace Ticker.Grains.Diagnostics;

/// <summary>An observer that records nothing (benchmarks and unit tests).</summary>
public sealed class NullPipelineObserver : IPipelineObserver
{
    /// <summary>The shared instance.</summary>
    public static readonly NullPipelineObserver Instance = new();

    /// <inheritdoc />
    public void OnUnderlyingTick(long elapsed, int instrumentId, double lastPrice) { }

    /// <inheritdoc />
    public void OnOptionTick(long elapsed, IvStatus status, long greeksElapsed, bool depthUpdated) { }

    /// <inheritdoc />
    public void OnRedeliveredTicks(int count) { }

    /// <inheritdoc />
    public void OnInvalidTicks(TickValidationReason reason, int count) { }

    /// <inheritdoc />
    public void OnBatchRejected() { }

    /// <inheritdoc />
    public void OnProcessingError(ProcessingError error) { }

    /// <inheritdoc />
    public void OnReadError() { }

    /// <inheritdoc />
    public void OnFlushError() { }

    /// <inheritdoc />
    public void OnBatchDetached(SnapshotBatch batch, int maxBatchSize) { }

    /// <inheritdoc />
    public void OnBatchWritten(SnapshotBatch batch, long writeElapsed, long nowUs) { }

    /// <inheritdoc />
    public void OnDeactivated(int count) { }
}
