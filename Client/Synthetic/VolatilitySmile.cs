namespace Ticker.Client.Synthetic;

/// <summary>
/// The volatility smile the synthetic feed prices options with: σ(K) = atm + skew·x + curvature·x², x = ln(K/S),
/// clamped to [3 %, 200 %]. IVs recovered from the feed's prices should lie on it.
/// </summary>
/// <param name="AtTheMoney">Volatility at the money.</param>
/// <param name="Skew">Slope in log-moneyness (negative: puts richer, as in index markets).</param>
/// <param name="Curvature">Convexity in log-moneyness.</param>
public sealed record VolatilitySmile(double AtTheMoney, double Skew, double Curvature)
{
    /// <summary>The smile of NIFTY-like indices.</summary>
    public static VolatilitySmile Nifty { get; } = new(0.13, -0.30, 1.5);

    /// <summary>The smile of BANKNIFTY-like indices.</summary>
    public static VolatilitySmile BankNifty { get; } = new(0.16, -0.25, 1.2);

    /// <summary>The volatility at <paramref name="strike"/> when the underlying is at <paramref name="spot"/>.</summary>
    public double VolatilityAt(double strike, double spot)
    {
        var x = Math.Log(strike / spot);
        return Math.Clamp(AtTheMoney + (Skew * x) + (Curvature * x * x), 0.03, 2.0);
    }
}
