using System.Globalization;
using Ticker.Protocol.Redis;
using Ticker.Protocol.Resp;

namespace Ticker.Silo.Transports.Redis;

/// <summary>
/// The shard count every silo and feed of a cluster must share, kept in <c>tick:cluster:shards</c>: the first process
/// sets it, every later one checks its own against it.
/// </summary>
public static class ShardCountAgreement
{
    /// <summary>Records <paramref name="shardCount"/> if none is set yet, and returns the cluster's count (null if unreadable).</summary>
    public static async Task<int?> AgreeAsync(RedisConnection redis, int shardCount, CancellationToken cancellationToken)
    {
        var mine = shardCount.ToString(CultureInfo.InvariantCulture);
        await redis.ExecuteAsync(["SET", TickerKeys.ClusterShardCount, mine, "NX"], cancellationToken).ConfigureAwait(false);
        var agreed = (await redis.ExecuteAsync(["GET", TickerKeys.ClusterShardCount], cancellationToken).ConfigureAwait(false)).AsString();
        return int.TryParse(agreed, CultureInfo.InvariantCulture, out var count) ? count : null;
    }
}
