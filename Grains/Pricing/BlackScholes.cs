using Ticker.Grains.Interfaces.Pricing;

namespace Ticker.Grains.Pricing;

/// <summary>
/// Black–Scholes–Merton prices and Greeks for European options with a continuous dividend yield.
/// </summary>
/// <remarks>
/// Conventions (ARCHITECTURE.md): <c>years</c> is ACT/365 time to expiry, <c>rate</c> and <c>dividendYield</c> are
/// continuously compounded annual rates, <c>sigma</c> is annualised volatility (0.2 means 20%). Vega is per
/// volatility point (×0.01), theta per calendar day (÷365, the price change as one day passes), rho per percentage
/// point of rate (×0.01). Spot and strike must be positive and every input finite; the limits
/// <c>years ≤ 0</c> (expired: intrinsic value) and <c>sigma ≤ 0</c> (deterministic forward) are priced rather than
/// rejected so that no caller sees a NaN from them.
/// </remarks>
public static class BlackScholes
{
    private const double DaysPerYear = 365.0;
    private const double PerPoint = 0.01;

    /// <summary>The model price.</summary>
    /// <param name="right">Call or put.</param>
    /// <param name="spot">Spot price of the underlying, positive.</param>
    /// <param name="strike">Strike, positive.</param>
    /// <param name="years">Time to expiry in years (ACT/365).</param>
    /// <param name="rate">Continuously compounded risk-free rate.</param>
    /// <param name="dividendYield">Continuous dividend yield.</param>
    /// <param name="sigma">Annualised volatility.</param>
    /// <returns>The price, never below the discounted intrinsic value.</returns>
    /// <remarks>Allocates nothing.</remarks>
    public static double Price(OptionRight right, double spot, double strike, double years, double rate, double dividendYield, double sigma)
    {
        var greeks = default(Greeks);
        Compute(right, spot, strike, years, rate, dividendYield, sigma, ref greeks);
        return greeks.Price;
    }

    /// <summary>Price and all Greeks into a caller-owned struct.</summary>
    /// <param name="right">Call or put.</param>
    /// <param name="spot">Spot price of the underlying, positive.</param>
    /// <param name="strike">Strike, positive.</param>
    /// <param name="years">Time to expiry in years (ACT/365).</param>
    /// <param name="rate">Continuously compounded risk-free rate.</param>
    /// <param name="dividendYield">Continuous dividend yield.</param>
    /// <param name="sigma">Annualised volatility.</param>
    /// <param name="greeks">Receives price, delta, gamma, vega (per point), theta (per day) and rho (per point).</param>
    /// <remarks>Allocates nothing: three exponentials, one logarithm, one square root and two normal CDFs.</remarks>
    public static void Compute(OptionRight right, double spot, double strike, double years, double rate, double dividendYield, double sigma, ref Greeks greeks)
    {
        if (!(years > 0))
        {
            Expired(right, spot, strike, ref greeks);
            return;
        }

        var sqrtT = Math.Sqrt(years);
        var totalVol = sigma * sqrtT;
        var spotDiscount = Math.Exp(-dividendYield * years);
        var strikeDiscount = Math.Exp(-rate * years);
        var discountedSpot = spot * spotDiscount;
        var discountedStrike = strike * strikeDiscount;
        if (!(totalVol > 0))
        {
            Deterministic(right, spotDiscount, discountedSpot, discountedStrike, years, rate, dividendYield, ref greeks);
            return;
        }

        var d1 = (Math.Log(discountedSpot / discountedStrike) / totalVol) + (0.5 * totalVol);
        var d2 = d1 - totalVol;
        var density = NormalDistribution.Pdf(d1);
        var timeDecay = -discountedSpot * density * sigma / (2.0 * sqrtT);

        double price, delta, thetaPerYear, rhoPerUnit;
        if (right == OptionRight.Call)
        {
            var nd1 = NormalDistribution.Cdf(d1);
            var nd2 = NormalDistribution.Cdf(d2);
            price = Math.Max((discountedSpot * nd1) - (discountedStrike * nd2), Math.Max(discountedSpot - discountedStrike, 0.0));
            delta = spotDiscount * nd1;
            thetaPerYear = timeDecay - (rate * discountedStrike * nd2) + (dividendYield * discountedSpot * nd1);
            rhoPerUnit = discountedStrike * years * nd2;
        }
        else
        {
            var nd1 = NormalDistribution.Cdf(-d1);
            var nd2 = NormalDistribution.Cdf(-d2);
            price = Math.Max((discountedStrike * nd2) - (discountedSpot * nd1), Math.Max(discountedStrike - discountedSpot, 0.0));
            delta = -spotDiscount * nd1;
            thetaPerYear = timeDecay + (rate * discountedStrike * nd2) - (dividendYield * discountedSpot * nd1);
            rhoPerUnit = -discountedStrike * years * nd2;
        }

        greeks.Price = price;
        greeks.Delta = delta;
        greeks.Gamma = spotDiscount * density / (spot * totalVol);
        greeks.Vega = discountedSpot * density * sqrtT * PerPoint;
        greeks.Theta = thetaPerYear / DaysPerYear;
        greeks.Rho = rhoPerUnit * PerPoint;
    }

    /// <summary>At or past expiry: intrinsic value, a step delta and no other sensitivity.</summary>
    private static void Expired(OptionRight right, double spot, double strike, ref Greeks greeks)
    {
        var sign = right == OptionRight.Call ? 1.0 : -1.0;
        var intrinsic = sign * (spot - strike);
        greeks.Price = Math.Max(intrinsic, 0.0);
        greeks.Delta = intrinsic > 0 ? sign : 0.0;
        greeks.Gamma = 0.0;
        greeks.Vega = 0.0;
        greeks.Theta = 0.0;
        greeks.Rho = 0.0;
    }

    /// <summary>Zero volatility: the discounted forward intrinsic value and its derivatives.</summary>
    private static void Deterministic(OptionRight right, double spotDiscount, double discountedSpot, double discountedStrike, double years, double rate, double dividendYield, ref Greeks greeks)
    {
        var sign = right == OptionRight.Call ? 1.0 : -1.0;
        var value = sign * (discountedSpot - discountedStrike);
        var inTheMoney = value > 0 ? 1.0 : 0.0;
        greeks.Price = Math.Max(value, 0.0);
        greeks.Delta = sign * spotDiscount * inTheMoney;
        greeks.Gamma = 0.0;
        greeks.Vega = 0.0;
        greeks.Theta = sign * inTheMoney * ((dividendYield * discountedSpot) - (rate * discountedStrike)) / DaysPerYear;
        greeks.Rho = sign * inTheMoney * discountedStrike * years * PerPoint;
    }
}
