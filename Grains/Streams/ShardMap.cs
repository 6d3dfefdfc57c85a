using Ticker.Grains.Instruments;

namespace Ticker.Grains.Streams;

/// <summary>
/// Which shard (stream partition) owns a token, and which tokens every shard also receives: the underlyings
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
    /// <remarks>
    /// A hash, never <c>token mod N</c>: Kite's NFO tokens are <c>exchange_token &lt;&lt; 8 | 2</c>, so with a power-of-two
    /// count every option would land in one shard. The finaliser of MurmurHash3 spreads them evenly.
    /// </remarks>
    public int ShardOf(uint token)
    {
        var h = token;
        h ^= h >> 16;
        h *= 0x85EBCA6B;
        h ^= h >> 13;
        h *= 0xC2B2AE35;
        h ^= h >> 16;
        return (int)(h % (uint)ShardCount);
    }

    /// <summary>Whether ticks of <paramref name="token"/> also go to every other shard.</summary>
    public bool IsBroadcast(uint token) => _broadcast.Contains(token);
}
