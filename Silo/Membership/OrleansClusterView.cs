using Microsoft.Extensions.Options;
using Orleans.Runtime;
using StackExchange.Redis;
using Ticker.Protocol.Redis;
using Ticker.Silo.Options;

namespace Ticker.Silo.Membership;

/// <summary>
/// The cluster on Redis, as Orleans sees it: the silos from the membership table (through the management grain) and,
/// per stream queue, the silo whose pulling agent reads it. A queue's reader is the active silo among the queue's
/// consumer-group consumers (named by their silo address) that read it last: a live reader polls every few
/// milliseconds, so its idle time is the smallest.
/// </summary>
public sealed class OrleansClusterView : IClusterView
{
    /// <summary>Dead silos stay listed this long after their last heartbeat, so a failover can be seen afterwards.</summary>
    private static readonly TimeSpan ShowDeadFor = TimeSpan.FromMinutes(15);

    private readonly IGrainFactory _grains;
    private readonly IConnectionMultiplexer _redis;
    private readonly int _queues;

    /// <summary>Creates the view.</summary>
    public OrleansClusterView(IGrainFactory grains, IConnectionMultiplexer redis, IOptions<SiloOptions> silo)
    {
        _grains = grains;
        _redis = redis;
        _queues = silo.Value.ShardCount;
    }

    /// <inheritdoc />
    public async Task<ClusterView> GetAsync(CancellationToken cancellationToken)
    {
        var hosts = await _grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: false).ConfigureAwait(false);
        var silos = new List<SiloEntry>(hosts.Length);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var now = DateTime.UtcNow;
        foreach (var host in hosts)
        {
            var active = host.Status == SiloStatus.Active;
            if (host.Status == SiloStatus.Dead && now - host.IAmAliveTime > ShowDeadFor)
            {
                continue;
            }

            var address = host.SiloAddress.ToParsableString();
            var name = string.IsNullOrEmpty(host.SiloName) ? address : host.SiloName;
            if (active)
            {
                names[address] = name;
            }

            silos.Add(new SiloEntry(name, address, host.Status.ToString(), new DateTimeOffset(DateTime.SpecifyKind(host.IAmAliveTime, DateTimeKind.Utc)).ToUnixTimeMilliseconds(), active));
        }

        silos.Sort(static (a, b) => a.Live != b.Live ? (a.Live ? -1 : 1) : string.CompareOrdinal(a.Name, b.Name));
        return new ClusterView(silos, await QueueOwnersAsync(names).ConfigureAwait(false));
    }

    private async Task<string?[]> QueueOwnersAsync(Dictionary<string, string> activeSilos)
    {
        var database = _redis.GetDatabase();
        var reads = new Task<StreamConsumerInfo[]>[_queues];
        for (var queue = 0; queue < _queues; queue++)
        {
            reads[queue] = database.StreamConsumerInfoAsync(TickerKeys.InputStream(queue), TickerKeys.ConsumerGroup);
        }

        var owners = new string?[_queues];
        for (var queue = 0; queue < _queues; queue++)
        {
            try
            {
                var best = long.MaxValue;
                foreach (var consumer in await reads[queue].ConfigureAwait(false))
                {
                    if (consumer.IdleTimeInMilliseconds < best && activeSilos.TryGetValue(consumer.Name!, out var name))
                    {
                        best = consumer.IdleTimeInMilliseconds;
                        owners[queue] = name;
                    }
                }
            }
            catch (RedisServerException)
            {
                // No such stream or group yet: nobody reads the queue.
            }
        }

        return owners;
    }
}
