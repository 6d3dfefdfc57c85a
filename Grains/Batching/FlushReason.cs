namespace Ticker.Grains.Batching;

/// <summary>Why a batch was flushed (the <c>reason</c> label of <c>tick_batches_flushed_total</c>).</summary>
public enum FlushReason : byte
{
    /// <summary>The batching window expired.</summary>
    Window = 0,

    /// <summary>A batch reached its maximum size.</summary>
    Size = 1,

    /// <summary>The input went idle, so pending snapshots go out at once.</summary>
    Idle = 2,

    /// <summary>The worker is stopping.</summary>
    Shutdown = 3,

    /// <summary>Batching is off: one flush per tick.</summary>
    Disabled = 4,
}
