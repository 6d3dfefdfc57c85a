namespace Ticker.Grains.Market;

/// <summary>Settings of the IV and Greeks computed for every option tick. Section <c>Greeks</c>.</summary>
public sealed class GreeksOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Greeks";

    /// <summary>The default value for <see cref="RiskFreeRate"/>: 6.5 %, close to India's short rates.</summary>
    public const double DefaultRiskFreeRate = 0.065;

    /// <summary>The default value for <see cref="DividendYield"/>: 0.</summary>
    public const double DefaultDividendYield = 0.0;

    /// <summary>Compute IV and Greeks for option ticks (off: options publish prices only).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Continuously compounded risk-free rate r, as a fraction; −0.1 to 1.</summary>
    public double RiskFreeRate { get; set; } = DefaultRiskFreeRate;

    /// <summary>Continuous dividend yield q of the underlying, as a fraction; −0.1 to 1.</summary>
    public double DividendYield { get; set; } = DefaultDividendYield;
}
