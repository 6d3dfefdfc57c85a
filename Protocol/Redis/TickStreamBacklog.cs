using StackExchange.Redis;

namespace Ticker.Protocol.Redis;

/// <summary>How far the silos' consumer group (<see cref="TickerKeys.ConsumerGroup"/>) is behind on a tick stream.</summary>
/// <param name="Pending">Entries delivered to the group but not yet acknowledged.</param>
/// <param name="Backlog">Pending plus unread entries (the stream's length when Redis cannot tell the group's lag).</param>
public readonly record struct TickStreamBacklog(long Pending, long Backlog)
{
    /// <summary>Reads the group's backlog on <paramref name="stream"/> (XLEN and XINFO GROUPS).</summary>
    /// <param name="redis">The database.</param>
    /// <param name="stream">The stream, e.g. <see cref="TickerKeys.InputStream"/>.</param>
    /// <returns>The backlog; the stream's length when it has no ticker group yet, zero when it does not exist.</returns>
    public static async Task<TickStreamBacklog> ReadAsync(IDatabaseAsync redis, string stream)
    {
        ArgumentNullException.ThrowIfNull(redis);
        var length = await redis.StreamLengthAsync(stream).ConfigureAwait(false);
        if (length == 0 && !await redis.KeyExistsAsync(stream).ConfigureAwait(false))
        {
            return default;
        }

        foreach (var group in await redis.StreamGroupInfoAsync(stream).ConfigureAwait(false))
        {
            if (group.Name == TickerKeys.ConsumerGroup)
            {
                return new TickStreamBacklog(group.PendingMessageCount, group.PendingMessageCount + (group.Lag ?? length));
            }
        }

        return new TickStreamBacklog(0, length);
    }
}
