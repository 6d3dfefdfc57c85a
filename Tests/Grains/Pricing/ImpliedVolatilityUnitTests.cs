using System.Text;
using Ticker.Grains.Interfaces.Pricing;
using Ticker.Grains.Pricing;

namespace Ticker.Tests.Grains.Pricing;

public sealed class ImpliedVolatilityUnitTests
{
    private const OptionRight Call = OptionRight.Call;
    private const OptionRight Put = OptionRight.Put;
    private const double OneHour = 1.0 / (365 * 24);

    private static readonly double[] Moneyness = [0.5, 0.6, 0.75, 0.9, 0.97, 1.0, 1.03, 1.1, 1.25, 1.5, 1.75, 2.0];
    private static readonly double[] Expiries = [OneHour, 1.0 / 365, 7.0 / 365, 30.0 / 365, 0.25, 1.0, 2.0];
    private static readonly double[] Volatilities = [0.01, 0.03, 0.1, 0.2, 0.35, 0.5, 0.8, 1.2, 2.0, 3.0];
    private static readonly (double Rate, double Yield)[] Carries = [(0.065, 0.012), (-0.02, 0.05)];

    [Fact]
    public void Round_trips_the_whole_grid_cold_to_1e10_where_vega_is_not_negligible()
    {
        var failures = new StringBuilder();
        int solved = 0, precise = 0;
        foreach (var (right, spot, strike, years, sigma, rate, q) in GridCases())
        {
            var price = BlackScholes.Price(right, spot, strike, years, rate, q, sigma);
            var status = ImpliedVolatility.TrySolve(right, price, spot, strike, years, rate, q, 0, out var iv);
            if (CheckRoundTrip(right, spot, strike, years, sigma, rate, q, price, status, iv, failures, "cold"))
            {
                solved += status == IvStatus.Ok ? 1 : 0;
                precise += status == IvStatus.Ok && VegaIsNotNegligible(spot, strike, years, rate, q, sigma) ? 1 : 0;
            }
        }

        Assert.True(failures.Length == 0, failures.ToString());

        // Of the 3360 cases about 2500 are solvable (the rest round onto the intrinsic value), and about 1900 of those
        // are well conditioned, so the 1e-10 assertion is far from vacuous.
        Assert.True(precise > 1800, $"only {precise} of {solved} solved cases had non-negligible vega");
    }

    [Fact]
    public void Warm_starts_from_near_and_far_guesses_reach_the_same_volatility()
    {
        var failures = new StringBuilder();
        double[] factors = [1.0, 1.0001, 1.01, 0.99, 0.5, 2.0, 0.1, 10.0];
        double[] absolutes = [1e-4, 0.05, 5.0, 50.0, 1000.0];
        foreach (var (right, spot, strike, years, sigma, rate, q) in GridCases())
        {
            var price = BlackScholes.Price(right, spot, strike, years, rate, q, sigma);
            foreach (var factor in factors)
            {
                var status = ImpliedVolatility.TrySolve(right, price, spot, strike, years, rate, q, sigma * factor, out var iv);
                CheckRoundTrip(right, spot, strike, years, sigma, rate, q, price, status, iv, failures, $"guess σ×{factor}");
            }

            foreach (var guess in absolutes)
            {
                var status = ImpliedVolatility.TrySolve(right, price, spot, strike, years, rate, q, guess, out var iv);
                CheckRoundTrip(right, spot, strike, years, sigma, rate, q, price, status, iv, failures, $"guess {guess}");
            }
        }

        Assert.True(failures.Length == 0, failures.ToString());
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(-0.3)]
    [InlineData(0.0)]
    public void Non_positive_or_non_finite_guesses_mean_cold_start(double guess)
    {
        var price = BlackScholes.Price(Call, 100, 110, 0.1, 0.06, 0.01, 0.25);
        Assert.Equal(IvStatus.Ok, ImpliedVolatility.TrySolve(Call, price, 100, 110, 0.1, 0.06, 0.01, guess, out var iv));
        Assert.Equal(0.25, iv, 12);
    }

    [Fact]
    public void Random_prices_anywhere_inside_the_bounds_converge_and_reprice()
    {
        // Prices drawn directly between the bounds, not from a σ, including within 1e-12 of either bound.
        var random = new Random(20240601);
        var failures = new StringBuilder();
        for (var i = 0; i < 20_000; i++)
        {
            var right = random.Next(2) == 0 ? Call : Put;
            var spot = 100.0;
            var strike = spot / (0.5 + (1.5 * random.NextDouble()));
            var years = OneHour * Math.Pow(2.0 / OneHour, random.NextDouble());
            var rate = -0.02 + (0.12 * random.NextDouble());
            var q = 0.05 * random.NextDouble();
            var discountedSpot = spot * Math.Exp(-q * years);
            var discountedStrike = strike * Math.Exp(-rate * years);
            var intrinsic = Math.Max(right == Call ? discountedSpot - discountedStrike : discountedStrike - discountedSpot, 0);
            var upper = right == Call ? discountedSpot : discountedStrike;
            var u = (i % 4) switch
            {
                0 => random.NextDouble(),
                1 => Math.Pow(10, -12 * random.NextDouble()),            // near the upper bound
                2 => 1 - Math.Pow(10, -12 * random.NextDouble()),        // near the intrinsic value
                _ => Math.Pow(10, -300 * random.NextDouble()),           // anywhere down to tiny time values
            };
            var price = intrinsic + ((upper - intrinsic) * (i % 4 == 1 ? 1 - u : u));
            if (!(price > intrinsic && price < upper))
            {
                continue;
            }

            var status = ImpliedVolatility.TrySolve(right, price, spot, strike, years, rate, q, 0, out var iv);
            if (status is IvStatus.BelowIntrinsic or IvStatus.AboveUpperBound)
            {
                // Only possible when the normalised time value rounds onto a bound.
                continue;
            }

            if (status != IvStatus.Ok || !(iv > 0) || !double.IsFinite(iv))
            {
                failures.AppendLine($"{right} S={spot} K={strike:R} T={years:R} r={rate:R} q={q:R} price={price:R}: {status} {iv}");
                continue;
            }

            var repriced = BlackScholes.Price(right, spot, strike, years, rate, q, iv);
            if (Math.Abs(repriced - price) > 1e-12 * (spot + strike))
            {
                failures.AppendLine($"{right} S={spot} K={strike:R} T={years:R} price={price:R}: σ={iv:R} reprices to {repriced:R}");
            }
        }

        Assert.True(failures.Length == 0, failures.ToString());
    }

    [Theory]
    [InlineData(Call, 120.0)]
    [InlineData(Put, 80.0)]
    public void Price_below_or_at_intrinsic_value_is_reported(OptionRight right, double spot)
    {
        const double strike = 100, years = 0.5, rate = 0.06, q = 0.01;
        var discountedIntrinsic = Math.Abs((spot * Math.Exp(-q * years)) - (strike * Math.Exp(-rate * years)));
        Assert.Equal(IvStatus.BelowIntrinsic, ImpliedVolatility.TrySolve(right, discountedIntrinsic - 0.01, spot, strike, years, rate, q, 0.2, out var iv));
        Assert.Equal(0.0, iv);
        Assert.Equal(IvStatus.BelowIntrinsic, ImpliedVolatility.TrySolve(right, discountedIntrinsic, spot, strike, years, rate, q, 0, out _));

        // Just above the discounted intrinsic value is solvable. For the put that price is below the undiscounted
        // intrinsic value K − S = 20, where a European put may trade; the bound is the discounted one.
        Assert.Equal(IvStatus.Ok, ImpliedVolatility.TrySolve(right, discountedIntrinsic + 0.5, spot, strike, years, rate, q, 0, out iv));
        Assert.True(iv > 0);
        Assert.Equal(discountedIntrinsic + 0.5, BlackScholes.Price(right, spot, strike, years, rate, q, iv), 1e-10);
        if (right == Put)
        {
            Assert.True(discountedIntrinsic + 0.5 < strike - spot);
        }
    }

    [Fact]
    public void Zero_price_of_an_out_of_the_money_option_is_below_intrinsic()
        => Assert.Equal(IvStatus.BelowIntrinsic, ImpliedVolatility.TrySolve(Call, 0, 100, 120, 0.1, 0.06, 0.01, 0, out _));

    [Fact]
    public void Price_at_or_above_the_upper_bound_is_reported()
    {
        const double spot = 100, strike = 90, years = 0.5, rate = 0.06, q = 0.02;
        var callBound = spot * Math.Exp(-q * years);
        var putBound = strike * Math.Exp(-rate * years);
        Assert.Equal(IvStatus.AboveUpperBound, ImpliedVolatility.TrySolve(Call, callBound, spot, strike, years, rate, q, 0, out _));
        Assert.Equal(IvStatus.AboveUpperBound, ImpliedVolatility.TrySolve(Call, spot + 1, spot, strike, years, rate, q, 0, out _));
        Assert.Equal(IvStatus.AboveUpperBound, ImpliedVolatility.TrySolve(Put, putBound, spot, strike, years, rate, q, 0, out _));
        Assert.Equal(IvStatus.AboveUpperBound, ImpliedVolatility.TrySolve(Put, strike, spot, strike, years, rate, q, 0, out var iv));
        Assert.Equal(0.0, iv);

        // Just under the bound is a (huge) volatility, not an error.
        Assert.Equal(IvStatus.Ok, ImpliedVolatility.TrySolve(Call, callBound * (1 - 1e-9), spot, strike, years, rate, q, 0, out iv));
        Assert.True(iv > 5, $"σ = {iv}");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1e-9)]
    [InlineData(-1.0)]
    public void Expired_options_have_no_implied_volatility(double years)
        => Assert.Equal(IvStatus.Expired, ImpliedVolatility.TrySolve(Call, 5, 100, 100, years, 0.06, 0.01, 0.2, out _));

    [Theory]
    [InlineData(double.NaN, 100, 100, 0.1, 0.06, 0.01)]
    [InlineData(double.PositiveInfinity, 100, 100, 0.1, 0.06, 0.01)]
    [InlineData(-0.01, 100, 100, 0.1, 0.06, 0.01)]
    [InlineData(5, 0, 100, 0.1, 0.06, 0.01)]
    [InlineData(5, -100, 100, 0.1, 0.06, 0.01)]
    [InlineData(5, double.NaN, 100, 0.1, 0.06, 0.01)]
    [InlineData(5, double.PositiveInfinity, 100, 0.1, 0.06, 0.01)]
    [InlineData(5, 100, 0, 0.1, 0.06, 0.01)]
    [InlineData(5, 100, -1, 0.1, 0.06, 0.01)]
    [InlineData(5, 100, double.NaN, 0.1, 0.06, 0.01)]
    [InlineData(5, 100, 100, double.NaN, 0.06, 0.01)]
    [InlineData(5, 100, 100, double.PositiveInfinity, 0.06, 0.01)]
    [InlineData(5, 100, 100, 0.1, double.NaN, 0.01)]
    [InlineData(5, 100, 100, 0.1, 0.06, double.NegativeInfinity)]
    [InlineData(5, 100, 100, 1.0, 1000.0, 0.01)]
    public void Invalid_inputs_are_reported(double price, double spot, double strike, double years, double rate, double q)
    {
        Assert.Equal(IvStatus.InvalidInput, ImpliedVolatility.TrySolve(Call, price, spot, strike, years, rate, q, 0.2, out var iv));
        Assert.Equal(0.0, iv);
    }

    [Fact]
    public void One_hour_to_expiry_in_and_out_of_the_money_solves()
    {
        // An hour before expiry with the strike 3% away: only a high volatility leaves a time value that a double
        // price resolves well enough to pin σ to 1e-10; at 60% it is ~1e-7 of the spot and σ is pinned only to ~1e-9.
        foreach (var right in new[] { Call, Put })
        {
            foreach (var strike in new[] { 97.0, 103.0 })
            {
                var price = BlackScholes.Price(right, 100, strike, OneHour, 0.065, 0.012, 1.5);
                Assert.Equal(IvStatus.Ok, ImpliedVolatility.TrySolve(right, price, 100, strike, OneHour, 0.065, 0.012, 0, out var iv));
                Assert.Equal(1.5, iv, 1e-10);

                price = BlackScholes.Price(right, 100, strike, OneHour, 0.065, 0.012, 0.6);
                Assert.Equal(IvStatus.Ok, ImpliedVolatility.TrySolve(right, price, 100, strike, OneHour, 0.065, 0.012, 0, out iv));
                Assert.Equal(0.6, iv, 1e-8);
                Assert.Equal(price, BlackScholes.Price(right, 100, strike, OneHour, 0.065, 0.012, iv), 1e-12);
            }
        }
    }

    private static IEnumerable<(OptionRight Right, double Spot, double Strike, double Years, double Sigma, double Rate, double Yield)> GridCases()
    {
        foreach (var right in new[] { Call, Put })
        {
            foreach (var moneyness in Moneyness)
            {
                foreach (var years in Expiries)
                {
                    foreach (var sigma in Volatilities)
                    {
                        foreach (var (rate, q) in Carries)
                        {
                            yield return (right, 100.0, 100.0 / moneyness, years, sigma, rate, q);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Vega is "not negligible" when the rounding error of the input price, a few ulps of S + K, moves σ by well
    /// under 1e-10: raw vega (per unit σ) at least 1e-4·(S + K).
    /// </summary>
    private static bool VegaIsNotNegligible(double spot, double strike, double years, double rate, double q, double sigma)
    {
        var greeks = default(Greeks);
        BlackScholes.Compute(Call, spot, strike, years, rate, q, sigma, ref greeks);
        return greeks.Vega * 100 >= 1e-4 * (spot + strike);
    }

    /// <summary>Checks one solve; returns false (and records why) on a failure.</summary>
    private static bool CheckRoundTrip(OptionRight right, double spot, double strike, double years, double sigma, double rate, double q, double price, IvStatus status, double iv, StringBuilder failures, string label)
    {
        var discountedSpot = spot * Math.Exp(-q * years);
        var discountedStrike = strike * Math.Exp(-rate * years);
        var intrinsic = Math.Max(right == Call ? discountedSpot - discountedStrike : discountedStrike - discountedSpot, 0);
        var where = $"{label}: {right} K={strike:R} T={years:R} σ={sigma} r={rate} q={q} price={price:R}";
        if (status == IvStatus.BelowIntrinsic && price <= intrinsic)
        {
            // The time value is below the price's resolution: the price rounded onto the intrinsic value.
            if (VegaIsNotNegligible(spot, strike, years, rate, q, sigma))
            {
                failures.AppendLine($"{where}: at intrinsic although vega is not negligible");
                return false;
            }

            return true;
        }

        if (status != IvStatus.Ok)
        {
            failures.AppendLine($"{where}: {status}");
            return false;
        }

        if (VegaIsNotNegligible(spot, strike, years, rate, q, sigma))
        {
            if (Math.Abs(iv - sigma) > 1e-10)
            {
                failures.AppendLine($"{where}: σ = {iv:R}, error {iv - sigma:E2}");
                return false;
            }

            return true;
        }

        // Negligible vega: σ is not determined to 1e-10 by a double price, but it must reproduce the price.
        var repriced = BlackScholes.Price(right, spot, strike, years, rate, q, iv);
        if (Math.Abs(repriced - price) > 1e-12 * (spot + strike))
        {
            failures.AppendLine($"{where}: σ = {iv:R} reprices to {repriced:R}");
            return false;
        }

        return true;
    }
}
