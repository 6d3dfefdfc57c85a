namespace Ticker.Client.Recording;

/// <summary>What a replay did.</summary>
/// <param name="Frames">Frames replayed (heartbeats included).</param>
/// <param name="Ticks">Ticks written to the stream.</param>
/// <param name="TruncatedBytes">Bytes of an incomplete last record that were skipped.</param>
/// <param name="Corrupt">True when the replay stopped at bytes that cannot be a record.</param>
/// <param name="Completed">True when the whole recording was replayed (not cut short by the duration or a cancel).</param>
public sealed record KiteReplayResult(long Frames, long Ticks, long TruncatedBytes, bool Corrupt, bool Completed);
