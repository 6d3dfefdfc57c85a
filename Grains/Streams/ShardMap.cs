using Ticker.Grains.Instruments;

namespace Ticker.Grains.Streams;

/// <summary>
/// Which shard owns a token (token mod shard count), and which tokens every shard also receives: the underlyings
/// that options are priced off, so each shard has their spot without reading another shard's state.
/// </summary>
public sealed class ShardMap
{
    private readonly HashSet<uint> _broadcast = [];

    /// <summary>Creates the map for <paramref name="shardCount"/> shards over <paramref name="master"/>.</summary>
    public ShardMap(InstrumentMaster master, int shardCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        ShardCount = shardCount;
        foreach (var underlying in master.Underlyings)
        {
            _broadcast.Add(underlying.InstrumentToken);
        }
    }

    /// <summary>The number of shards.</summary>
    public int ShardCount { get; }

    /// <summary>The shard that owns <paramref name="token"/>.</summary>
    public int ShardOf(uint token) => (int)(token % (uint)ShardCount);

    /// <summary>Whether ticks of <paramref name="token"/> also go to every other shard.</summary>
    public bool IsBroadcast(uint token) => _broadcast.Contains(token);
}
