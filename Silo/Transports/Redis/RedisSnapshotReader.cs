using System.Text;
using Ticker.Grains.Interfaces.Snapshots;
using Ticker.Protocol.Redis;
using Ticker.Protocol.Resp;

namespace Ticker.Silo.Transports.Redis;

/// <summary>Reads snapshots back from the <c>tick:snap:{token}</c> hashes (HGETALL, pipelined for many).</summary>
public sealed class RedisSnapshotReader : ISnapshotReader
{
    private const int ChunkSize = 1000;

    private readonly RedisConnector _connector;

    /// <summary>Creates the reader.</summary>
    public RedisSnapshotReader(RedisConnector connector) => _connector = connector;

    /// <inheritdoc />
    public async ValueTask<InstrumentSnapshot?> GetAsync(uint instrumentToken, CancellationToken cancellationToken)
    {
        var found = await GetManyAsync([instrumentToken], cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<InstrumentSnapshot>> GetManyAsync(IReadOnlyList<uint> instrumentTokens, CancellationToken cancellationToken)
    {
        var redis = await _connector.GetAsync(cancellationToken).ConfigureAwait(false);
        var collector = new Collector();
        using var batch = new RedisBatch();
        for (var start = 0; start < instrumentTokens.Count; start += ChunkSize)
        {
            var end = Math.Min(instrumentTokens.Count, start + ChunkSize);
            for (var i = start; i < end; i++)
            {
                batch.BeginCommand(2);
                batch.Arg("HGETALL"u8);
                batch.Arg(Encoding.UTF8.GetBytes(TickerKeys.Snapshot(instrumentTokens[i])));
            }

            await redis.ExecuteAsync(batch, collector, cancellationToken).ConfigureAwait(false);
        }

        return collector.Found;
    }

    private sealed class Collector : IRespReplyHandler
    {
        public List<InstrumentSnapshot> Found { get; } = [];

        public void OnReply(int index, RespReader reply)
        {
            if (SnapshotHash.TryRead(ref reply, out var snapshot))
            {
                Found.Add(snapshot);
            }
        }
    }
}
