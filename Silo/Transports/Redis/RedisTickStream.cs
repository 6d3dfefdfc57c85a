using Microsoft.Extensions.Logging;
using Ticker.Grains.Interfaces.Streams;
using Ticker.Grains.Streams;
using Ticker.Protocol.Redis;
using Ticker.Silo.Hosting;

namespace Ticker.Silo.Transports.Redis;

/// <summary>The tick stream on Redis Streams: <c>tick:in:{shard}</c>, one consumer group, this silo as consumer.</summary>
public sealed class RedisTickStream : ITickStream, IStreamBacklogSource
{
    private readonly RedisConnector _connector;
    private readonly RedisTransportOptions _options;
    private readonly RedisStreamStatistics _statistics;
    private readonly string _consumer;
    private readonly ILoggerFactory _loggers;

    /// <summary>Creates the stream; <paramref name="consumer"/> is this silo's id.</summary>
    public RedisTickStream(
        RedisConnector connector, ShardMap map, RedisTransportOptions options, string consumer, RedisStreamStatistics statistics, ILoggerFactory loggers)
    {
        _connector = connector;
        _options = options;
        _statistics = statistics;
        _consumer = consumer;
        _loggers = loggers;
        ShardCount = map.ShardCount;
        Writer = new RedisTickStreamWriter(connector, map, options, loggers.CreateLogger<RedisTickStreamWriter>());
    }

    /// <inheritdoc />
    public int ShardCount { get; }

    /// <inheritdoc />
    public ITickStreamWriter Writer { get; }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<(long Lag, long Pending)>> ProbeBacklogAsync(CancellationToken cancellationToken)
    {
        var redis = await _connector.GetAsync(cancellationToken).ConfigureAwait(false);
        var backlog = new (long, long)[ShardCount];
        for (var shard = 0; shard < ShardCount; shard++)
        {
            var key = TickerKeys.InputStream(shard);
            var groups = await redis.ExecuteAsync(["XINFO", "GROUPS", key], cancellationToken).ConfigureAwait(false);
            var length = (await redis.ExecuteAsync(["XLEN", key], cancellationToken).ConfigureAwait(false)).AsInt64();
            var total = RedisTickStreamWriter.GroupBacklog(groups, length);
            var pending = RedisTickStreamWriter.GroupPending(groups);
            backlog[shard] = (total - pending, pending);
        }

        return backlog;
    }

    /// <inheritdoc />
    public async ValueTask<ITickStreamReader> OpenReaderAsync(int shard, CancellationToken cancellationToken) =>
        await RedisShardReader.OpenAsync(shard, _connector, _options, _consumer, _statistics, _loggers.CreateLogger<RedisShardReader>(), cancellationToken).ConfigureAwait(false);
}
