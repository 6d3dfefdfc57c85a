namespace Ticker.Streaming.Statistics;

/// <summary>Why a queue entry could not be delivered and went to <c>tick:deadletter</c>.</summary>
public enum DeadLetterReason
{
    /// <summary>A field the format requires (<c>n</c>, <c>s</c>, <c>z</c>, <c>k</c>) is missing or empty.</summary>
    MissingField,

    /// <summary>The tick size is not a positive number, or the payload is not a whole tick payload (cut, or words beyond a tick).</summary>
    BadPayloadSize,

    /// <summary>The payload holds ticks of another layout (a producer of another build).</summary>
    TickSizeMismatch,

    /// <summary>The entry id cannot be a stream position (milliseconds 0, or a sequence beyond a 32-bit index).</summary>
    ImpossibleId,
}
