using StackExchange.Redis;
using Ticker.Grains.Interfaces.Snapshots;
using Ticker.Protocol.Redis;

namespace Ticker.Silo.Transports.Redis;

/// <summary>Reads snapshots back from the <c>tick:snap:{token}</c> hashes (HGETALL, pipelined for many).</summary>
public sealed class RedisSnapshotReader : ISnapshotReader
{
    /// <summary>HGETALLs in flight at once: bounds the replies held in memory for a large restore.</summary>
    private const int ChunkSize = 1000;

    private readonly IConnectionMultiplexer _redis;

    /// <summary>Creates the reader.</summary>
    /// <param name="redis">The process's multiplexer.</param>
    public RedisSnapshotReader(IConnectionMultiplexer redis) => _redis = redis;

    /// <inheritdoc />
    public async ValueTask<InstrumentSnapshot?> GetAsync(uint instrumentToken, CancellationToken cancellationToken)
    {
        var entries = await _redis.GetDatabase().HashGetAllAsync(TickerKeys.Snapshot(instrumentToken)).WaitAsync(cancellationToken).ConfigureAwait(false);
        return SnapshotHash.TryRead(entries, out var snapshot) ? snapshot : null;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<InstrumentSnapshot>> GetManyAsync(IReadOnlyList<uint> instrumentTokens, CancellationToken cancellationToken)
    {
        var db = _redis.GetDatabase();
        var found = new List<InstrumentSnapshot>();
        var replies = new Task<HashEntry[]>[Math.Min(ChunkSize, instrumentTokens.Count)];
        for (var start = 0; start < instrumentTokens.Count; start += ChunkSize)
        {
            // Sent together, so the multiplexer pipelines them into one round trip.
            var count = Math.Min(ChunkSize, instrumentTokens.Count - start);
            for (var i = 0; i < count; i++)
            {
                replies[i] = db.HashGetAllAsync(TickerKeys.Snapshot(instrumentTokens[start + i]));
            }

            for (var i = 0; i < count; i++)
            {
                if (SnapshotHash.TryRead(await replies[i].WaitAsync(cancellationToken).ConfigureAwait(false), out var snapshot))
                {
                    found.Add(snapshot);
                }
            }
        }

        return found;
    }
}
