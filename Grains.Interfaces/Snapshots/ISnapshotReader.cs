namespace Ticker.Grains.Interfaces.Snapshots;

/// <summary>The query side of the snapshot store, used by the HTTP API and the client library.</summary>
public interface ISnapshotReader
{
    /// <summary>The latest snapshot of an instrument, or null when it has none yet.</summary>
    ValueTask<InstrumentSnapshot?> GetAsync(uint instrumentToken, CancellationToken cancellationToken);

    /// <summary>The latest snapshots of those of <paramref name="instrumentTokens"/> that have one (one round trip where the store is remote).</summary>
    ValueTask<IReadOnlyList<InstrumentSnapshot>> GetManyAsync(IReadOnlyList<uint> instrumentTokens, CancellationToken cancellationToken);
}
