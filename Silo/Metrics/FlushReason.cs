namespace Ticker.Silo.Metrics;

/// <summary>The <c>reason</c> label of <c>tick_batches_flushed_total</c>: why a batch was written.</summary>
public enum FlushReason
{
    /// <summary>The batch window (100 ms by default) expired.</summary>
    Window = 0,

    /// <summary>The batch reached its maximum size.</summary>
    Size = 1,

    /// <summary>The input went idle, so the batch was written early to keep latency low at low load.</summary>
    Idle = 2,

    /// <summary>The final flush on shutdown.</summary>
    Shutdown = 3,

    /// <summary>Batching is disabled: every snapshot is written on its own.</summary>
    Disabled = 4,
}
