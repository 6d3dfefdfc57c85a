using Orleans.Concurrency;
using Ticker.Grains.Interfaces.Market;
using Ticker.Grains.Interfaces.Snapshots;
using Ticker.Grains.Streams;

namespace Ticker.Grains.Market;

/// <summary>
/// The read side of one instrument (key = token): asks the consumer of the instrument's partition, which owns the
/// state, for its snapshot. A stateless worker, so reads never queue behind each other or behind tick deliveries
/// of other instruments' grains.
/// </summary>
[StatelessWorker]
public sealed class InstrumentGrain(ShardMap map) : Grain, IInstrumentGrain
{
    /// <inheritdoc />
    public Task<InstrumentSnapshot?> GetSnapshotAsync()
    {
        var token = (uint)this.GetPrimaryKeyLong();
        return GrainFactory.GetGrain<ITickPartitionGrain>(map.ShardOf(token)).GetSnapshotAsync(token);
    }
}
