using Ticker.Grains.Interfaces.Streams;
using Ticker.Grains.Interfaces.Ticks;

namespace Ticker.Grains.Streams;

/// <summary>
/// Splits a batch of ticks into one entry per shard, keeping order per instrument. A broadcast tick (an underlying)
/// goes to its owner in place and is appended to the END of every other shard's entry, so a worker strips the copies
/// it does not own by looking at the tail only.
/// </summary>
public sealed class TickPartitioner
{
    private readonly ShardMap _map;
    private Tick[] _broadcast = new Tick[16];

    /// <summary>Creates a partitioner over <paramref name="map"/>.</summary>
    public TickPartitioner(ShardMap map) => _map = map;

    /// <summary>The shard map.</summary>
    public ShardMap Map => _map;

    /// <summary>
    /// Appends each tick of <paramref name="ticks"/> to its shard's entry in <paramref name="entries"/> (one per shard,
    /// indexed by shard; their <c>Count</c> must be 0). Not thread-safe: one partitioner per writer.
    /// </summary>
    /// <remarks>Allocates only when a buffer must grow.</remarks>
    public void Partition(ReadOnlySpan<Tick> ticks, TickStreamEntry[] entries)
    {
        var broadcastCount = 0;
        foreach (var entry in entries)
        {
            entry.EnsureCapacity(ticks.Length + 4);
        }

        for (var i = 0; i < ticks.Length; i++)
        {
            ref readonly var tick = ref ticks[i];
            var shard = _map.ShardOf(tick.InstrumentToken);
            var entry = entries[shard];
            entry.Buffer[entry.Count++] = tick;
            if (entries.Length > 1 && _map.IsBroadcast(tick.InstrumentToken))
            {
                if (broadcastCount == _broadcast.Length)
                {
                    Array.Resize(ref _broadcast, _broadcast.Length * 2);
                }

                _broadcast[broadcastCount++] = tick;
            }
        }

        for (var b = 0; b < broadcastCount; b++)
        {
            ref readonly var tick = ref _broadcast[b];
            var owner = _map.ShardOf(tick.InstrumentToken);
            for (var shard = 0; shard < entries.Length; shard++)
            {
                if (shard != owner)
                {
                    var entry = entries[shard];
                    entry.EnsureCapacity(entry.Count + 1);
                    entry.Buffer[entry.Count++] = tick;
                }
            }
        }
    }
}
