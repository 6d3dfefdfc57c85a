using System.Globalization;
using StackExchange.Redis;
using Ticker.Protocol.Redis;

namespace Ticker.Silo.Transports.Redis;

/// <summary>
/// The stream queue count every silo and feed of a cluster must share (a tick's queue is its partition), kept in
/// <c>tick:cluster:queues</c>: the first process to start records its own; every later one adopts or checks it.
/// </summary>
public static class QueueCountAgreement
{
    /// <summary>The queue count on Redis when nobody gives one: fixed, so processes on machines with other core counts agree.</summary>
    public const int DefaultQueueCount = 8;

    /// <summary>
    /// Records <paramref name="mine"/> (or the default) if the cluster has no count yet, and returns the cluster's.
    /// </summary>
    /// <exception cref="InvalidOperationException"><paramref name="mine"/> differs from the cluster's count.</exception>
    public static async Task<int> AgreeAsync(IDatabase redis, int? mine, string who)
    {
        var proposed = (mine ?? DefaultQueueCount).ToString(CultureInfo.InvariantCulture);
        await redis.StringSetAsync(TickerKeys.ClusterQueueCount, proposed, when: When.NotExists).ConfigureAwait(false);
        var recorded = (string?)await redis.StringGetAsync(TickerKeys.ClusterQueueCount).ConfigureAwait(false);
        if (!int.TryParse(recorded, CultureInfo.InvariantCulture, out var agreed) || agreed < 1)
        {
            throw new InvalidOperationException($"{TickerKeys.ClusterQueueCount} on Redis holds '{recorded}', not a queue count; delete it while no process runs");
        }

        if (mine is { } own && own != agreed)
        {
            throw new InvalidOperationException(
                $"{who} is set to {own} stream queues (--shards, Silo:ShardCount) but the cluster on this Redis uses {agreed} ({TickerKeys.ClusterQueueCount}): "
                + $"leave --shards out or give {agreed}; to change the count, stop every silo and feed and delete {TickerKeys.ClusterQueueCount}");
        }

        return agreed;
    }
}
