namespace Ticker.Grains.Market;

/// <summary>What every instrument's state needs to know: the pricing settings and the bar length. Immutable, shared.</summary>
public sealed class InstrumentSettings
{
    /// <summary>Creates the settings from the configured options.</summary>
    public InstrumentSettings(GreeksOptions greeks, GrainOptions grains)
    {
        GreeksEnabled = greeks.Enabled;
        RiskFreeRate = greeks.RiskFreeRate;
        DividendYield = greeks.DividendYield;
        BarIntervalSeconds = Math.Max(1, (long)grains.BarInterval.TotalSeconds);
    }

    /// <summary>Whether option ticks get IV and Greeks.</summary>
    public bool GreeksEnabled { get; }

    /// <summary>Risk-free rate r.</summary>
    public double RiskFreeRate { get; }

    /// <summary>Dividend yield q.</summary>
    public double DividendYield { get; }

    /// <summary>Bar length in seconds.</summary>
    public long BarIntervalSeconds { get; }
}
