namespace Ticker.Grains.Interfaces.Pricing;

/// <summary>
/// A Black–Scholes–Merton price and its sensitivities, written into a caller-owned struct.
/// Conventions: vega per 1 volatility point (×0.01), theta per calendar day (÷365), rho per 1 percentage point (×0.01).
/// </summary>
[GenerateSerializer]
public struct Greeks
{
    /// <summary>Model price.</summary>
    [Id(0)]
    public double Price;

    /// <summary>∂price/∂spot.</summary>
    [Id(1)]
    public double Delta;

    /// <summary>∂²price/∂spot².</summary>
    [Id(2)]
    public double Gamma;

    /// <summary>Price change for a 1-point (0.01) rise in volatility.</summary>
    [Id(3)]
    public double Vega;

    /// <summary>Price change for one calendar day passing.</summary>
    [Id(4)]
    public double Theta;

    /// <summary>Price change for a 1 percentage point (0.01) rise in the rate.</summary>
    [Id(5)]
    public double Rho;
}
