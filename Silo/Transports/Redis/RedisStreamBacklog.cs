using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Ticker.Protocol.Redis;
using Ticker.Silo.Hosting;
using Ticker.Silo.Options;

namespace Ticker.Silo.Transports.Redis;

/// <summary>
/// The backlog of the cluster's tick stream queues, from Redis (<c>XINFO GROUPS</c> per queue, pipelined): entries
/// not yet read by the group (lag) and read but not yet acknowledged, i.e. snapshots not yet written (pending).
/// </summary>
public sealed class RedisStreamBacklog : IStreamBacklogSource
{
    private readonly IConnectionMultiplexer _redis;
    private readonly int _queues;

    /// <summary>Creates the source.</summary>
    public RedisStreamBacklog(IConnectionMultiplexer redis, IOptions<SiloOptions> silo)
    {
        _redis = redis;
        _queues = silo.Value.ShardCount;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<(long Lag, long Pending)>> ProbeBacklogAsync(CancellationToken cancellationToken)
    {
        var database = _redis.GetDatabase();
        var reads = new Task<StreamGroupInfo[]>[_queues];
        for (var queue = 0; queue < _queues; queue++)
        {
            reads[queue] = database.StreamGroupInfoAsync(TickerKeys.InputStream(queue));
        }

        var backlog = new (long Lag, long Pending)[_queues];
        for (var queue = 0; queue < _queues; queue++)
        {
            try
            {
                foreach (var group in await reads[queue].WaitAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (group.Name == TickerKeys.ConsumerGroup)
                    {
                        backlog[queue] = (group.Lag ?? 0, group.PendingMessageCount);
                    }
                }
            }
            catch (RedisServerException)
            {
                // The queue has no stream yet: nothing waits in it.
            }
        }

        return backlog;
    }
}
