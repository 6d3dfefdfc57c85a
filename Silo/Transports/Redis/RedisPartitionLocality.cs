using Microsoft.Extensions.DependencyInjection;
using Ticker.Grains.Interfaces.Market;
using Ticker.Grains.Market;
using Ticker.Streaming.Statistics;

namespace Ticker.Silo.Transports.Redis;

/// <summary>On Redis, partition p travels in queue p (as many queues as partitions): read here while a receiver of this silo holds it.</summary>
internal sealed class RedisPartitionLocality([FromKeyedServices(ITickPartitionGrain.StreamProvider)] RedisTickStreamStatistics streams) : IPartitionLocality
{
    /// <inheritdoc />
    public bool IsReadHere(int partition) => streams.IsReading(partition);
}
