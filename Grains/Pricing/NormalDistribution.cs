namespace Ticker.Grains.Pricing;

/// <summary>
/// The standard normal distribution: density and cumulative distribution, accurate to a few units in the last place
/// over the whole range, including the far lower tail (relative accuracy of Φ(x) down to x ≈ −38, where it underflows).
/// </summary>
/// <remarks>
/// Φ is computed through the complementary error function with W. J. Cody's rational Chebyshev approximations
/// ("Rational Chebyshev approximations for the error function", Math. Comp. 23, 1969) on three intervals of
/// y = |x|/√2: y ≤ 0.46875 (erf), 0.46875 &lt; y ≤ 4 and y &gt; 4 (erfc). Two details keep the tail relative error
/// near machine precision: the Gaussian factor exp(−x²/2) is taken from x itself rather than from the rounded
/// y = |x|/√2, and the rounding error of x² (recovered exactly with a fused multiply-add) is applied as a first-order
/// correction, so that the exponential does not magnify it (at x = −37 it would otherwise cost ~1e-13). Nothing
/// allocates.
/// </remarks>
public static class NormalDistribution
{
    private const double InvSqrt2 = 0.70710678118654752440;
    private const double InvSqrt2Pi = 0.39894228040143267794;
    private const double InvSqrtPi = 0.56418958354775628695;

    // Below this |x|/√2 the erf series is used; up to SmallTailLimit the first erfc form; beyond it the asymptotic form.
    private const double ErfLimit = 0.46875;
    private const double SmallTailLimit = 4.0;

    // Past these x, Φ(x) is 0 or 1 in double precision (Φ(−38.5) is below the smallest subnormal).
    private const double LowerCutoff = -38.5;
    private const double UpperCutoff = 8.5;

    // φ(x) is below the smallest subnormal double past this |x| (and ∞ − ∞ must not reach the error term).
    private const double PdfUnderflow = 39.0;

    // erf(y) = y · A(y²)/B(y²) for y ≤ 0.46875.
    private const double A0 = 3.16112374387056560e00;
    private const double A1 = 1.13864154151050156e02;
    private const double A2 = 3.77485237685302021e02;
    private const double A3 = 3.20937758913846947e03;
    private const double A4 = 1.85777706184603153e-1;
    private const double B0 = 2.36012909523441209e01;
    private const double B1 = 2.44024637934444173e02;
    private const double B2 = 1.28261652607737228e03;
    private const double B3 = 2.84423683343917062e03;

    // erfc(y) = exp(−y²) · C(y)/D(y) for 0.46875 < y ≤ 4.
    private const double C0 = 5.64188496988670089e-1;
    private const double C1 = 8.88314979438837594e00;
    private const double C2 = 6.61191906371416295e01;
    private const double C3 = 2.98635138197400131e02;
    private const double C4 = 8.81952221241769090e02;
    private const double C5 = 1.71204761263407058e03;
    private const double C6 = 2.05107837782607147e03;
    private const double C7 = 1.23033935479799725e03;
    private const double C8 = 2.15311535474403846e-8;
    private const double D0 = 1.57449261107098347e01;
    private const double D1 = 1.17693950891312499e02;
    private const double D2 = 5.37181101862009858e02;
    private const double D3 = 1.62138957456669019e03;
    private const double D4 = 3.29079923573345963e03;
    private const double D5 = 4.36261909014324716e03;
    private const double D6 = 3.43936767414372164e03;
    private const double D7 = 1.23033935480374942e03;

    // erfc(y) = exp(−y²)/y · (1/√π − z·P(z)/Q(z)), z = 1/y², for y > 4.
    private const double P0 = 3.05326634961232344e-1;
    private const double P1 = 3.60344899949804439e-1;
    private const double P2 = 1.25781726111229246e-1;
    private const double P3 = 1.60837851487422766e-2;
    private const double P4 = 6.58749161529837803e-4;
    private const double P5 = 1.63153871373020978e-2;
    private const double Q0 = 2.56852019228982242e00;
    private const double Q1 = 1.87295284992346725e00;
    private const double Q2 = 5.27905102951428412e-1;
    private const double Q3 = 6.05183413124413191e-2;
    private const double Q4 = 2.33520497626869185e-3;

    /// <summary>The standard normal density φ(x) = exp(−x²/2)/√(2π).</summary>
    /// <remarks>Allocates nothing. Relative error stays within a few ulps for every x where φ(x) is a normal double.</remarks>
    public static double Pdf(double x)
        => Math.Abs(x) < PdfUnderflow ? InvSqrt2Pi * GaussianFactor(x) : double.IsNaN(x) ? x : 0.0;

    /// <summary>The standard normal cumulative distribution Φ(x) = P(Z ≤ x).</summary>
    /// <remarks>
    /// Allocates nothing. Relative error within a few ulps for every x (Φ(x) for x &lt; 0, 1 − Φ(x) is not
    /// separately accurate for x &gt; 0: use <c>Cdf(-x)</c> for an upper tail). NaN gives NaN.
    /// </remarks>
    public static double Cdf(double x)
    {
        var y = Math.Abs(x) * InvSqrt2;
        if (y <= ErfLimit)
        {
            var z = y * y;
            var num = ((((A4 * z) + A0) * z + A1) * z + A2) * z + A3;
            var den = (((z + B0) * z + B1) * z + B2) * z + B3;
            return 0.5 + (0.5 * x * InvSqrt2 * num / den);
        }

        if (x < LowerCutoff)
        {
            return 0.0;
        }

        if (x > UpperCutoff)
        {
            return 1.0;
        }

        double rational;
        if (y <= SmallTailLimit)
        {
            var num = (((((((C8 * y + C0) * y + C1) * y + C2) * y + C3) * y + C4) * y + C5) * y + C6) * y + C7;
            var den = (((((((y + D0) * y + D1) * y + D2) * y + D3) * y + D4) * y + D5) * y + D6) * y + D7;
            rational = num / den;
        }
        else
        {
            var z = 1.0 / (y * y);
            var num = (((((P5 * z) + P0) * z + P1) * z + P2) * z + P3) * z + P4;
            var den = ((((z + Q0) * z + Q1) * z + Q2) * z + Q3) * z + Q4;
            rational = (InvSqrtPi - (z * num / den)) / y;
        }

        // Half of erfc(|x|/√2): the probability beyond |x|.
        var tail = 0.5 * GaussianFactor(x) * rational;
        return x < 0 ? tail : 1.0 - tail;
    }

    /// <summary>exp(−x²/2), with the rounding error of x² carried separately so the exponential does not magnify it.</summary>
    private static double GaussianFactor(double x)
    {
        // x² = square + error exactly (the fused multiply-add rounds once), and exp(−error/2) = 1 − error/2 to far
        // below an ulp because |error| ≤ ulp(x²)/2.
        var square = x * x;
        var error = Math.FusedMultiplyAdd(x, x, -square);
        return Math.Exp(-0.5 * square) * (1.0 - (0.5 * error));
    }
}
