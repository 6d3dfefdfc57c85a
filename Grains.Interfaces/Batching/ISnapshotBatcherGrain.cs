namespace Ticker.Grains.Interfaces.Batching;

/// <summary>
/// Collects snapshots on this silo and writes them in batches (window, size, idle flush, separate underlying and
/// option batches, optional conflation, bounded pending flushes). A stateless worker: call it with key 0.
/// </summary>
public interface ISnapshotBatcherGrain : IGrainWithIntegerKey
{
    /// <summary>Adds snapshots; completes when the flush that holds the last of them is written (group commit).</summary>
    Task AddAsync(SnapshotSet snapshots);

    /// <summary>
    /// Shutdown: writes what is pending now, and from now on writes every add at once (no window), so the deliveries
    /// still queued drain quickly. Completes when everything pending is written.
    /// </summary>
    Task DrainAsync();
}
