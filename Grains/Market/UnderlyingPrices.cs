namespace Ticker.Grains.Market;

/// <summary>
/// One shard worker's view of the underlyings' last prices, indexed by master id. Underlying ticks are delivered to
/// every shard (they are few), so each worker keeps its own copy and an option grain never reads another shard's state.
/// </summary>
public sealed class UnderlyingPrices
{
    private readonly double[] _prices;

    /// <summary>Creates the view for a master of <paramref name="instrumentCount"/> instruments.</summary>
    public UnderlyingPrices(int instrumentCount) => _prices = new double[instrumentCount];

    /// <summary>The last price of the instrument with master id <paramref name="id"/>, or 0 when none was seen.</summary>
    public double Get(int id) => (uint)id < (uint)_prices.Length ? _prices[id] : 0;

    /// <summary>Records a price.</summary>
    public void Set(int id, double price) => _prices[id] = price;
}
