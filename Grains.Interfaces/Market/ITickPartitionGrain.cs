namespace Ticker.Grains.Interfaces.Market;

/// <summary>
/// The consumer of one partition of the tick stream (key = partition), subscribed implicitly: it validates each
/// delivered batch, fans it out to the instrument grains (one call per instrument per batch) and completes the
/// delivery only when the snapshots it produced are written.
/// </summary>
public interface ITickPartitionGrain : IGrainWithIntegerKey
{
    /// <summary>The name of the stream provider that carries ticks.</summary>
    public const string StreamProvider = "ticks";

    /// <summary>The stream namespace the partitions are published under (stream key = partition).</summary>
    public const string StreamNamespace = "ticks";

    /// <summary>Batches this activation has taken.</summary>
    Task<long> GetBatchesAsync();
}
