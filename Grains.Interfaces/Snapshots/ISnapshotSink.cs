namespace Ticker.Grains.Interfaces.Snapshots;

/// <summary>Where flushed snapshot batches go: the in-memory store or Redis hashes + pub/sub.</summary>
public interface ISnapshotSink
{
    /// <summary>
    /// Writes one flushed batch. Completes only when everything is durably written; throws when it could not be
    /// (the caller keeps the batch, retries, and does not acknowledge its input meanwhile). Writes are idempotent.
    /// </summary>
    ValueTask WriteAsync(ReadOnlyMemory<InstrumentSnapshot> underlyings, ReadOnlyMemory<InstrumentSnapshot> options, CancellationToken cancellationToken);
}
