using Ticker.Grains.Instruments;

namespace Ticker.Grains.Market;

/// <summary>
/// What the instrument states of one Redis shard worker share: the shard's view of underlying prices and the
/// settings. Owned by one shard worker, so nothing here is synchronised.
/// </summary>
public sealed class ShardContext
{
    private readonly InstrumentMaster _master;

    /// <summary>Creates the context of one shard over <paramref name="master"/>.</summary>
    public ShardContext(int shard, InstrumentMaster master, InstrumentSettings settings)
    {
        Shard = shard;
        Settings = settings;
        UnderlyingPrices = new UnderlyingPrices(master.Count);
        _master = master;
    }

    /// <summary>The shard.</summary>
    public int Shard { get; }

    /// <summary>Pricing and bar settings.</summary>
    public InstrumentSettings Settings { get; }

    /// <summary>Last prices of the underlyings, as this shard has seen them.</summary>
    public UnderlyingPrices UnderlyingPrices { get; }

    /// <summary>The last price of the underlying of master id <paramref name="id"/> (0 when none or unknown).</summary>
    public double SpotOf(int id) => UnderlyingPrices.Get(_master.UnderlyingIdOf(id));
}
