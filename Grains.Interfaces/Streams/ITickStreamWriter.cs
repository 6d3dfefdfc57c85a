using Ticker.Grains.Interfaces.Ticks;

namespace Ticker.Grains.Interfaces.Streams;

/// <summary>
/// The ingestion side of the tick stream (embedded channels or Redis streams). Ticks are partitioned by
/// shard (token mod shard count) and written as one entry per shard per call, never one entry per tick.
/// </summary>
public interface ITickStreamWriter
{
    /// <summary>
    /// Writes a batch of ticks. Completes when every tick is queued in the stream; waits while the stream applies
    /// back-pressure. The caller keeps ownership of <paramref name="ticks"/> and may reuse it once this completes.
    /// </summary>
    ValueTask WriteAsync(ReadOnlyMemory<Tick> ticks, CancellationToken cancellationToken);
}
