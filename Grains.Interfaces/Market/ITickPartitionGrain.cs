using Ticker.Grains.Interfaces.Snapshots;

namespace Ticker.Grains.Interfaces.Market;

/// <summary>
/// The consumer of one partition of the tick stream (key = partition), subscribed implicitly, and the owner of its
/// instruments' state: it validates each delivered batch, applies every tick to its instrument's state in place and
/// completes the delivery only when the snapshots it produced are written.
/// </summary>
public interface ITickPartitionGrain : IGrainWithIntegerKey
{
    /// <summary>The name of the stream provider that carries ticks.</summary>
    public const string StreamProvider = "ticks";

    /// <summary>The stream namespace the partitions are published under (stream key = partition).</summary>
    public const string StreamNamespace = "ticks";

    /// <summary>Batches this activation has taken.</summary>
    Task<long> GetBatchesAsync();

    /// <summary>The state now of <paramref name="instrumentToken"/> (one of this partition's), or null before its first tick.</summary>
    Task<InstrumentSnapshot?> GetSnapshotAsync(uint instrumentToken);
}
