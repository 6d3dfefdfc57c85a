using Ticker.Grains.Interfaces.Pricing;

namespace Ticker.Grains.Pricing;

/// <summary>
/// Black–Scholes–Merton implied volatility: the σ at which <see cref="BlackScholes.Price"/> reproduces a given price.
/// </summary>
/// <remarks>
/// <para>
/// The problem is reduced to normalised Black form. With the dividend-discounted spot S' = S·e^(−qT), the discounted strike
/// K' = K·e^(−rT), x = ln(S'/K') and total volatility s = σ√T, the time value of the option (its price less the
/// discounted intrinsic value) divided by √(S'K') equals the normalised out-of-the-money call price
/// b(x̃, s) = e^(x̃/2)Φ(x̃/s + s/2) − e^(−x̃/2)Φ(x̃/s − s/2) with x̃ = −|x| ≤ 0 (put–call parity and the symmetry
/// of the normalised price). b rises from 0 to e^(x̃/2) as s goes from 0 to ∞, so any price strictly between the
/// discounted intrinsic value and the upper bound has exactly one root.
/// </para>
/// <para>
/// b is convex below the inflection point s_c = √(2|x̃|) and concave above it, with closed-form derivatives
/// b' = exp(−x̃²/(2s²) − s²/8)/√(2π) and b'' = b'·(x̃²/s³ − s/4). Each iteration takes a Halley step on the
/// objective that is nearly linear where the iterate is: ln b against 1/s² below s_c (the lower tail, where b decays
/// like exp(−x̃²/(2s²))); b against s above it; ln(e^(x̃/2) − b) against s² once b passes half its upper bound (the
/// upper tail, where the distance to the bound decays like exp(−s²/8)). Every evaluation narrows a bracket around the
/// root, and a step that leaves it is replaced by bisection, so the iteration always converges. A cold start begins
/// at s_c (where the lower-tail objective gives monotone convergence); a warm start begins at the given σ, and
/// falls back to s_c when its first step shows the guess was far off. Typical costs: 2 evaluations warm, 3 to 8 cold.
/// </para>
/// </remarks>
public static class ImpliedVolatility
{
    private const double InvSqrt2Pi = 0.39894228040143267794;
    private const double Sqrt2Pi = 2.50662827463100050242;

    /// <summary>Absolute tolerance on σ: iteration stops once a step changes σ by less than this.</summary>
    private const double SigmaTolerance = 1e-12;

    // A Halley step of relative size below this leaves an error of order its cube: far below SigmaTolerance.
    private const double HalleyAcceptance = 1e-5;

    // A Newton step of relative size below this leaves an error of order its square.
    private const double NewtonAcceptance = 1e-8;

    // Halley's correction is used only while its denominator stays above this; otherwise the Newton step is taken.
    private const double MinHalleyDenominator = 0.5;

    // A warm start whose first step moves s by more than this fraction is abandoned for the cold start.
    private const double FarGuessStep = 0.5;

    private const int MaxIterations = 100;

    /// <summary>Solves for the implied volatility of an option price.</summary>
    /// <param name="right">Call or put.</param>
    /// <param name="price">Observed option price, non-negative.</param>
    /// <param name="spot">Spot price of the underlying, positive.</param>
    /// <param name="strike">Strike, positive.</param>
    /// <param name="years">Time to expiry in years (ACT/365).</param>
    /// <param name="rate">Continuously compounded risk-free rate.</param>
    /// <param name="dividendYield">Continuous dividend yield.</param>
    /// <param name="initialGuess">A warm start (usually the previous tick's IV); ≤ 0 or non-finite means "no warm start".</param>
    /// <param name="sigma">The implied volatility when <see cref="IvStatus.Ok"/> is returned; 0 otherwise.</param>
    /// <returns>
    /// <see cref="IvStatus.Ok"/>; <see cref="IvStatus.InvalidInput"/> for a non-finite input, a non-positive spot or
    /// strike or a negative price; <see cref="IvStatus.Expired"/> when <paramref name="years"/> ≤ 0;
    /// <see cref="IvStatus.BelowIntrinsic"/> when the price is at or below the discounted intrinsic value
    /// max(±(S·e^(−qT) − K·e^(−rT)), 0) (no positive σ reproduces it); <see cref="IvStatus.AboveUpperBound"/> when it
    /// is at or above S·e^(−qT) for a call or K·e^(−rT) for a put; <see cref="IvStatus.NoConvergence"/> never in
    /// practice (the bracketed iteration is capped at 100 evaluations).
    /// </returns>
    /// <remarks>
    /// Allocates nothing. Accurate to about 1e-12 in σ wherever vega is not negligible; where it is, the σ returned
    /// still reproduces the price to rounding precision.
    /// </remarks>
    public static IvStatus TrySolve(OptionRight right, double price, double spot, double strike, double years, double rate, double dividendYield, double initialGuess, out double sigma)
    {
        sigma = 0.0;
        if (!(double.IsFinite(price) && price >= 0 && double.IsFinite(spot) && spot > 0 && double.IsFinite(strike) && strike > 0
            && double.IsFinite(years) && double.IsFinite(rate) && double.IsFinite(dividendYield)))
        {
            return IvStatus.InvalidInput;
        }

        if (years <= 0)
        {
            return IvStatus.Expired;
        }

        var discountedSpot = spot * Math.Exp(-dividendYield * years);
        var discountedStrike = strike * Math.Exp(-rate * years);
        if (!(discountedSpot > 0 && discountedStrike > 0 && double.IsFinite(discountedSpot * discountedStrike)))
        {
            // Rates or prices so extreme that the discounted values over- or underflow.
            return IvStatus.InvalidInput;
        }

        double intrinsic, upperBound;
        if (right == OptionRight.Call)
        {
            intrinsic = Math.Max(discountedSpot - discountedStrike, 0.0);
            upperBound = discountedSpot;
        }
        else
        {
            intrinsic = Math.Max(discountedStrike - discountedSpot, 0.0);
            upperBound = discountedStrike;
        }

        if (price >= upperBound)
        {
            return IvStatus.AboveUpperBound;
        }

        if (price <= intrinsic)
        {
            return IvStatus.BelowIntrinsic;
        }

        // Normalise the time value to the out-of-the-money call: x ≤ 0, 0 < target < e^(x/2).
        var x = -Math.Abs(Math.Log(discountedSpot / discountedStrike));
        var target = (price - intrinsic) / Math.Sqrt(discountedSpot * discountedStrike);
        var upper = Math.Exp(0.5 * x);
        if (!(target > 0))
        {
            return IvStatus.BelowIntrinsic;
        }

        if (target >= upper)
        {
            return IvStatus.AboveUpperBound;
        }

        var sqrtT = Math.Sqrt(years);
        var warmStart = initialGuess > 0 && double.IsFinite(initialGuess) ? initialGuess * sqrtT : 0.0;
        var status = SolveNormalised(x, target, upper, warmStart, SigmaTolerance * sqrtT, out var totalVol);
        if (status == IvStatus.Ok)
        {
            sigma = totalVol / sqrtT;
        }

        return status;
    }

    /// <summary>Solves b(x, s) = target for s, given x ≤ 0 and 0 &lt; target &lt; upper = e^(x/2).</summary>
    /// <remarks>
    /// With g the logarithmic derivative of the objective's price (b'/b, or −b'/(upper − b)) and c = b''/b', the
    /// Halley steps below are the generic −(f/f')/(1 − f·f''/(2f'²)) with the chain rule for the change of variable
    /// worked out by hand, so that each iteration needs only four divisions.
    /// </remarks>
    private static IvStatus SolveNormalised(double x, double target, double upper, double warmStart, double tolerance, out double totalVol)
    {
        var inflection = Math.Sqrt(-2.0 * x);
        var coldStart = inflection > 0 ? inflection : target * Sqrt2Pi;
        var s = warmStart > 0 ? warmStart : coldStart;
        var lo = 0.0;
        var hi = double.PositiveInfinity;
        var targetGap = upper - target;
        var inverseUpper = 1.0 / upper;
        var x2 = x * x;

        for (var iteration = 1; iteration <= MaxIterations; iteration++)
        {
            // b and its distance to the bound, each in the form free of cancellation: b directly below the
            // inflection point (h1 ≤ 0), the gap directly above it.
            var u = 1.0 / s;
            var ratio = x * u;
            var h1 = ratio + (0.5 * s);
            var h2 = ratio - (0.5 * s);
            double value, gap;
            if (h1 <= 0)
            {
                value = (upper * NormalDistribution.Cdf(h1)) - (NormalDistribution.Cdf(h2) * inverseUpper);
                gap = upper - value;
            }
            else
            {
                gap = (upper * NormalDistribution.Cdf(-h1)) + (NormalDistribution.Cdf(h2) * inverseUpper);
                value = upper - gap;
            }

            if (value > target)
            {
                hi = s;
            }
            else if (value < target)
            {
                lo = s;
            }
            else
            {
                totalVol = s;
                return IvStatus.Ok;
            }

            // b' and c = b''/b' in closed form.
            var slope = InvSqrt2Pi * Math.Exp((-0.5 * ratio * ratio) - (0.125 * s * s));
            var c = (x2 * u * u * u) - (0.25 * s);

            // Lower tail on the way down, or below the inflection point: Halley on ln b against w = 1/s².
            var lowerTail = value > target ? s <= inflection : s < inflection;
            double next, acceptance;
            if (slope > 0 && lowerTail && value > 0)
            {
                var g = slope / value;
                var newton = 2.0 * LogRatio(value, target) / (g * s * s * s);
                var denominator = 1.0 - (0.25 * newton * s * s * (((c - g) * s) + 3.0));
                var wNext = (u * u) + Correct(newton, denominator, out acceptance);
                next = wNext > 0 ? 1.0 / Math.Sqrt(wNext) : double.NaN;
            }
            else if (slope > 0 && value > 0.5 * upper && gap > 0)
            {
                // Upper tail: Halley on ln(upper − b) against v = s².
                var g = -slope / gap;
                var newton = -2.0 * s * LogRatio(gap, targetGap) / g;
                var denominator = 1.0 + (0.25 * newton * u * (c - g - u));
                var vNext = (s * s) + Correct(newton, denominator, out acceptance);
                next = vNext > 0 ? Math.Sqrt(vNext) : double.NaN;
            }
            else if (slope > 0)
            {
                // Middle: Halley on b against s.
                var newton = (target - value) / slope;
                next = s + Correct(newton, 1.0 + (0.5 * newton * c), out acceptance);
            }
            else
            {
                next = double.NaN;
                acceptance = 0.0;
            }

            var step = Math.Abs(next - s);
            if (step <= tolerance || step <= acceptance * s)
            {
                totalVol = next;
                return IvStatus.Ok;
            }

            if (iteration == 1 && warmStart > 0 && !(step <= FarGuessStep * s) && lo < coldStart && coldStart < hi)
            {
                next = coldStart;
            }
            else if (!(next > lo && next < hi))
            {
                next = double.IsPositiveInfinity(hi) ? 2.0 * lo : 0.5 * (lo + hi);
            }

            s = next;
        }

        totalVol = 0.0;
        return IvStatus.NoConvergence;
    }

    /// <summary>ln(a/b) for positive a, b: one logarithm, or two when a/b overflows (b subnormal).</summary>
    private static double LogRatio(double a, double b)
    {
        var ratio = a / b;
        return double.IsFinite(ratio) ? Math.Log(ratio) : Math.Log(a) - Math.Log(b);
    }

    /// <summary>The Halley step newton/denominator, or the Newton step where Halley's correction is unsafe.</summary>
    private static double Correct(double newton, double denominator, out double acceptance)
    {
        if (denominator > MinHalleyDenominator)
        {
            acceptance = HalleyAcceptance;
            return newton / denominator;
        }

        acceptance = NewtonAcceptance;
        return newton;
    }
}
