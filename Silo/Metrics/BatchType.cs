namespace Ticker.Silo.Metrics;

/// <summary>The <c>batch_type</c> label of the batching metrics: which of the batcher's two batches.</summary>
public enum BatchType
{
    /// <summary>Underlying (index, future) bars and prices; label <c>underlying</c>.</summary>
    Underlying = 0,

    /// <summary>Option snapshots with IV and Greeks; label <c>options</c>.</summary>
    Options = 1,
}
