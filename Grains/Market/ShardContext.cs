namespace Ticker.Grains.Market;

/// <summary>
/// What the grains of one shard share: the shard's view of underlying prices and the pricing settings. Owned by one
/// shard worker, so nothing here is synchronised.
/// </summary>
public sealed class ShardContext
{
    /// <summary>Creates the context of one shard.</summary>
    public ShardContext(int shard, int instrumentCount, GreeksOptions greeks, GrainOptions grains)
    {
        Shard = shard;
        UnderlyingPrices = new UnderlyingPrices(instrumentCount);
        GreeksEnabled = greeks.Enabled;
        RiskFreeRate = greeks.RiskFreeRate;
        DividendYield = greeks.DividendYield;
        BarIntervalSeconds = Math.Max(1, (long)grains.BarInterval.TotalSeconds);
    }

    /// <summary>The shard.</summary>
    public int Shard { get; }

    /// <summary>Last prices of the underlyings, as this shard has seen them.</summary>
    public UnderlyingPrices UnderlyingPrices { get; }

    /// <summary>Whether option ticks get IV and Greeks.</summary>
    public bool GreeksEnabled { get; }

    /// <summary>Risk-free rate r.</summary>
    public double RiskFreeRate { get; }

    /// <summary>Dividend yield q.</summary>
    public double DividendYield { get; }

    /// <summary>Bar length in seconds.</summary>
    public long BarIntervalSeconds { get; }

    /// <summary>Stopwatch ticks the last IV + Greeks computation took (read by the worker for the latency histogram).</summary>
    public long LastGreeksElapsed { get; set; }
}
