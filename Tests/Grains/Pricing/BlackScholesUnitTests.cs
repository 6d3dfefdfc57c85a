using Ticker.Grains.Interfaces.Pricing;
using Ticker.Grains.Pricing;

namespace Ticker.Tests.Grains.Pricing;

public sealed class BlackScholesUnitTests
{
    private const OptionRight Call = OptionRight.Call;
    private const OptionRight Put = OptionRight.Put;

    public static TheoryData<OptionRight, double, double, double, double, double> Grid()
    {
        var data = new TheoryData<OptionRight, double, double, double, double, double>();
        foreach (var right in new[] { Call, Put })
        {
            foreach (var moneyness in new[] { 0.7, 0.9, 1.0, 1.1, 1.4 })
            {
                foreach (var years in new[] { 0.02, 0.25, 1.0, 2.0 })
                {
                    foreach (var sigma in new[] { 0.1, 0.3, 0.8 })
                    {
                        data.Add(right, 100.0, 100.0 / moneyness, years, sigma, moneyness > 1 ? 0.07 : -0.01);
                    }
                }
            }
        }

        return data;
    }

    [Fact]
    public void Hull_example_calls_and_puts_match_the_textbook()
    {
        // Hull, Options, Futures, and Other Derivatives: S = 42, K = 40, r = 10%, σ = 20%, T = 0.5 gives c = 4.76, p = 0.81.
        Assert.Equal(4.76, BlackScholes.Price(Call, 42, 40, 0.5, 0.10, 0, 0.2), 2);
        Assert.Equal(0.81, BlackScholes.Price(Put, 42, 40, 0.5, 0.10, 0, 0.2), 2);

        // The same to full precision (mpmath, 50 digits).
        AssertRelative(4.7594223928715333951, BlackScholes.Price(Call, 42, 40, 0.5, 0.10, 0, 0.2), 1e-14);
        AssertRelative(0.80859937290009365311, BlackScholes.Price(Put, 42, 40, 0.5, 0.10, 0, 0.2), 1e-14);

        // Hull's index option with a dividend yield: S = 930, K = 900, r = 8%, q = 3%, σ = 20%, T = 2 months gives 51.83.
        Assert.Equal(51.83, BlackScholes.Price(Call, 930, 900, 2.0 / 12, 0.08, 0.03, 0.2), 2);
        AssertRelative(51.832956796490849641, BlackScholes.Price(Call, 930, 900, 2.0 / 12, 0.08, 0.03, 0.2), 1e-14);
    }

    [Fact]
    public void Hull_greeks_example_matches_the_textbook_with_our_scalings()
    {
        // Hull's Greek-letter example: S = 49, K = 50, r = 5%, σ = 20%, T = 20 weeks. The book quotes c = 2.40,
        // delta 0.522, gamma 0.066, vega 12.1 per unit σ, theta −4.31 per year, rho 8.91 per unit rate.
        var greeks = default(Greeks);
        BlackScholes.Compute(Call, 49, 50, 20.0 / 52, 0.05, 0, 0.2, ref greeks);
        Assert.Equal(2.40, greeks.Price, 2);
        Assert.Equal(0.522, greeks.Delta, 3);
        Assert.Equal(0.066, greeks.Gamma, 3);
        Assert.Equal(12.1 / 100, greeks.Vega, 3);
        Assert.Equal(-4.31 / 365, greeks.Theta, 4);
        Assert.Equal(8.91 / 100, greeks.Rho, 3);

        // Full precision, against mpmath derivatives of the closed-form price at 50 digits.
        AssertRelative(2.4005273232717147439, greeks.Price, 1e-14);
        AssertRelative(0.52160466106639639793, greeks.Delta, 1e-14);
        AssertRelative(0.06554403934784439212, greeks.Gamma, 1e-14);
        AssertRelative(0.12105479882628800227, greeks.Vega, 1e-14);
        AssertRelative(-0.011795424172418009756, greeks.Theta, 1e-14);
        AssertRelative(0.089069619496083500155, greeks.Rho, 1e-14);
    }

    [Fact]
    public void Index_option_with_dividend_yield_matches_reference_greeks()
    {
        // A NIFTY-like weekly put, q and r nonzero; reference from mpmath derivatives at 50 digits.
        var greeks = default(Greeks);
        BlackScholes.Compute(Put, 23500, 24000, 7.0 / 365, 0.065, 0.012, 0.14, ref greeks);
        AssertRelative(511.45842234516735106, greeks.Price, 1e-13);
        AssertRelative(-0.84683656327047390008, greeks.Delta, 1e-13);
        AssertRelative(0.00051833681291715802169, greeks.Gamma, 1e-13);
        AssertRelative(7.6856568447898780467, greeks.Vega, 1e-13);
        AssertRelative(-4.7048904420342313548, greeks.Theta, 1e-13);
        AssertRelative(-3.914652701764633852, greeks.Rho, 1e-13);

        BlackScholes.Compute(Call, 930, 900, 2.0 / 12, 0.08, 0.03, 0.2, ref greeks);
        AssertRelative(0.7034180086011917745, greeks.Delta, 1e-13);
        AssertRelative(0.0045074038616943378144, greeks.Gamma, 1e-13);
        AssertRelative(1.2994845333264775919, greeks.Vega, 1e-13);
        AssertRelative(-0.29186677494746524779, greeks.Theta, 1e-13);
        AssertRelative(1.0039096520043624454, greeks.Rho, 1e-13);
    }

    [Fact]
    public void Put_call_parity_holds()
    {
        foreach (var row in Grid())
        {
            var (spot, strike, years, sigma, rate) = ((double)row[1], (double)row[2], (double)row[3], (double)row[4], (double)row[5]);
            const double q = 0.013;
            var call = BlackScholes.Price(Call, spot, strike, years, rate, q, sigma);
            var put = BlackScholes.Price(Put, spot, strike, years, rate, q, sigma);
            var forward = (spot * Math.Exp(-q * years)) - (strike * Math.Exp(-rate * years));
            Assert.True(Math.Abs(call - put - forward) <= 1e-12 * (spot + strike), $"c − p = {call - put}, S'−K' = {forward}");
        }
    }

    [Theory]
    [MemberData(nameof(Grid))]
    public void Every_greek_matches_a_finite_difference_with_the_stated_scaling(OptionRight right, double spot, double strike, double years, double sigma, double rate)
    {
        const double q = 0.013;
        var greeks = default(Greeks);
        BlackScholes.Compute(right, spot, strike, years, rate, q, sigma, ref greeks);
        Assert.Equal(BlackScholes.Price(right, spot, strike, years, rate, q, sigma), greeks.Price);

        double PriceAt(double s, double t, double r, double v) => BlackScholes.Price(right, s, strike, t, r, q, v);
        double DeltaAt(double s)
        {
            var shifted = default(Greeks);
            BlackScholes.Compute(right, s, strike, years, rate, q, sigma, ref shifted);
            return shifted.Delta;
        }

        // Richardson-extrapolated central differences (truncation error O(h⁴)): these tolerances are many orders
        // tighter than any slip in scaling (×0.01, ÷365) or sign.
        // Spot steps scale with the width of the distribution, S·σ√T, which is what sets the curvature.
        var hs = 1e-2 * spot * sigma * Math.Sqrt(years);
        var delta = Derivative(s => PriceAt(s, years, rate, sigma), spot, hs);
        AssertClose(delta, greeks.Delta, 1e-9);

        var gamma = Derivative(DeltaAt, spot, hs);
        AssertClose(gamma, greeks.Gamma, 1e-7 * greeks.Gamma + 1e-12);

        var vegaPerPoint = Derivative(v => PriceAt(spot, years, rate, v), sigma, 1e-3 * sigma) * 0.01;
        AssertClose(vegaPerPoint, greeks.Vega, 1e-10 * spot);

        var thetaPerDay = -Derivative(t => PriceAt(spot, t, rate, sigma), years, 1e-3 * years) / 365;
        AssertClose(thetaPerDay, greeks.Theta, 1e-10 * spot);

        var rhoPerPoint = Derivative(r => PriceAt(spot, years, r, sigma), rate, 1e-3) * 0.01;
        AssertClose(rhoPerPoint, greeks.Rho, 1e-10 * spot);

        // Theta is the price change as one calendar day passes: compare with the one-day difference itself,
        // which differs from the derivative by about half a day's change in theta.
        if (years >= 0.25)
        {
            var oneDay = PriceAt(spot, years - (1.0 / 365), rate, sigma) - greeks.Price;
            AssertClose(oneDay, greeks.Theta, 0.02 * Math.Abs(greeks.Theta) + 1e-9);
        }
    }

    [Fact]
    public void Expired_option_is_worth_its_intrinsic_value()
    {
        var greeks = default(Greeks);
        BlackScholes.Compute(Call, 105, 100, 0, 0.05, 0.01, 0.2, ref greeks);
        Assert.Equal(5.0, greeks.Price);
        Assert.Equal(1.0, greeks.Delta);
        Assert.Equal(0.0, greeks.Gamma);
        Assert.Equal(0.0, greeks.Vega);
        Assert.Equal(0.0, greeks.Theta);

        BlackScholes.Compute(Put, 105, 100, -0.01, 0.05, 0.01, 0.2, ref greeks);
        Assert.Equal(0.0, greeks.Price);
        Assert.Equal(0.0, greeks.Delta);

        BlackScholes.Compute(Put, 95, 100, 0, 0.05, 0.01, 0.2, ref greeks);
        Assert.Equal(5.0, greeks.Price);
        Assert.Equal(-1.0, greeks.Delta);
    }

    [Fact]
    public void Zero_volatility_is_the_discounted_forward_intrinsic_value()
    {
        var greeks = default(Greeks);
        BlackScholes.Compute(Call, 100, 90, 0.5, 0.06, 0.02, 0, ref greeks);
        var discountedSpot = 100 * Math.Exp(-0.02 * 0.5);
        var discountedStrike = 90 * Math.Exp(-0.06 * 0.5);
        Assert.Equal(discountedSpot - discountedStrike, greeks.Price, 12);
        Assert.Equal(Math.Exp(-0.02 * 0.5), greeks.Delta, 12);
        Assert.Equal(0.0, greeks.Gamma);
        Assert.Equal(0.0, greeks.Vega);

        // And it is the limit of small volatility.
        var small = default(Greeks);
        BlackScholes.Compute(Call, 100, 90, 0.5, 0.06, 0.02, 1e-4, ref small);
        Assert.Equal(small.Price, greeks.Price, 9);
        Assert.Equal(small.Theta, greeks.Theta, 9);
        Assert.Equal(small.Rho, greeks.Rho, 9);

        BlackScholes.Compute(Put, 100, 90, 0.5, 0.06, 0.02, 0, ref greeks);
        Assert.Equal(0.0, greeks.Price);
        Assert.Equal(0.0, greeks.Delta);
    }

    [Theory]
    [InlineData(Call, 100, 200, 1.0 / 8760, 0.05)]
    [InlineData(Put, 100, 50, 1.0 / 8760, 0.05)]
    [InlineData(Call, 100, 50, 1.0 / 8760, 0.05)]
    [InlineData(Put, 100, 100, 2, 5)]
    [InlineData(Call, 100, 100, 1e-12, 0.2)]
    public void Extreme_inputs_give_finite_prices_within_the_no_arbitrage_bounds(OptionRight right, double spot, double strike, double years, double sigma)
    {
        var greeks = default(Greeks);
        BlackScholes.Compute(right, spot, strike, years, 0.07, 0.013, sigma, ref greeks);
        var discountedSpot = spot * Math.Exp(-0.013 * years);
        var discountedStrike = strike * Math.Exp(-0.07 * years);
        var intrinsic = Math.Max(right == Call ? discountedSpot - discountedStrike : discountedStrike - discountedSpot, 0);
        Assert.True(greeks.Price >= intrinsic && greeks.Price <= (right == Call ? discountedSpot : discountedStrike), $"price {greeks.Price}");
        Assert.True(double.IsFinite(greeks.Delta) && double.IsFinite(greeks.Gamma) && double.IsFinite(greeks.Vega)
            && double.IsFinite(greeks.Theta) && double.IsFinite(greeks.Rho));
    }

    private static double Derivative(Func<double, double> f, double x, double h)
    {
        var coarse = (f(x + h) - f(x - h)) / (2 * h);
        var fine = (f(x + (h / 2)) - f(x - (h / 2))) / h;
        return ((4 * fine) - coarse) / 3;
    }

    private static void AssertClose(double expected, double actual, double tolerance)
        => Assert.True(Math.Abs(actual - expected) <= tolerance, $"expected {expected:R}, got {actual:R} (tolerance {tolerance:E1})");

    private static void AssertRelative(double expected, double actual, double tolerance)
    {
        var error = Math.Abs(actual - expected) / Math.Abs(expected);
        Assert.True(error <= tolerance, $"expected {expected:R}, got {actual:R}, relative error {error:E2}");
    }
}
