namespace Ticker.Silo.Metrics;

/// <summary>The <c>error_type</c> label of <c>tick_processing_errors_total</c>: the stage at which a tick failed.</summary>
public enum TickErrorType
{
    /// <summary>The tick failed validation (counted again, by reason, in <c>tick_validation_errors_total</c>).</summary>
    Validation = 0,

    /// <summary>Implied volatility or Greeks could not be computed.</summary>
    Greeks = 1,

    /// <summary>Updating the instrument's state failed (unknown instrument, out-of-order data).</summary>
    State = 2,

    /// <summary>Publishing the snapshot (the batch write to the sink) failed.</summary>
    Publish = 3,

    /// <summary>Anything else: a bug.</summary>
    Internal = 4,
}
