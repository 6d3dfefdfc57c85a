using Ticker.Grains.Market;

namespace Ticker.Client.Synthetic;

/// <summary>Settings of the synthetic market. Section <c>Feed</c>.</summary>
public sealed class SyntheticMarketOptions
{
    /// <summary>The default value for <see cref="Seed"/>.</summary>
    public const int DefaultSeed = 20251108;

    /// <summary>The default value for <see cref="UnderlyingEvery"/>: one underlying tick per 10 ticks.</summary>
    public const int DefaultUnderlyingEvery = 10;

    /// <summary>Random seed: the same seed and master give the same sequence of ticks.</summary>
    public int Seed { get; set; } = DefaultSeed;

    /// <summary>How many instruments to tick (underlyings first, then options nearest the money); 0: all.</summary>
    public int Instruments { get; set; }

    /// <summary>One underlying tick is sent every this many ticks; 1 to 1,000.</summary>
    public int UnderlyingEvery { get; set; } = DefaultUnderlyingEvery;

    /// <summary>Rate r used to price options; must match the silo's <see cref="GreeksOptions.RiskFreeRate"/>.</summary>
    public double RiskFreeRate { get; set; } = GreeksOptions.DefaultRiskFreeRate;

    /// <summary>Yield q used to price options; must match the silo's <see cref="GreeksOptions.DividendYield"/>.</summary>
    public double DividendYield { get; set; } = GreeksOptions.DefaultDividendYield;
}
