namespace Ticker.Grains.Diagnostics;

/// <summary>Kinds of processing error (the <c>error_type</c> label of <c>tick_processing_errors_total</c>).</summary>
public enum ProcessingError : byte
{
    /// <summary>A tick whose token the master does not know reached a grain (validation off).</summary>
    UnknownInstrument = 0,

    /// <summary>Reading the tick stream failed.</summary>
    StreamRead = 1,

    /// <summary>Writing snapshots or acknowledging entries failed (retried).</summary>
    Publish = 2,

    /// <summary>A stream entry could not be decoded (dead-lettered).</summary>
    Decode = 3,
}
