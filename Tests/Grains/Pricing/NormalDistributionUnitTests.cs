using Ticker.Grains.Pricing;

namespace Ticker.Tests.Grains.Pricing;

public sealed class NormalDistributionUnitTests
{
    // Reference values from mpmath's ncdf at 50 significant digits, rounded to 17.
    [Theory]
    [InlineData(-37.5, 4.6053530095819548e-308)]
    [InlineData(-35, 1.1249107064724062e-268)]
    [InlineData(-30, 4.9067139271481871e-198)]
    [InlineData(-25, 3.0566967063825609e-138)]
    [InlineData(-20, 2.7536241186062337e-89)]
    [InlineData(-15, 3.6709661993127509e-51)]
    [InlineData(-10, 7.6198530241605261e-24)]
    [InlineData(-8, 6.2209605742717841e-16)]
    [InlineData(-6, 9.8658764503769814e-10)]
    [InlineData(-5, 2.8665157187919391e-7)]
    [InlineData(-4, 3.1671241833119921e-5)]
    [InlineData(-3, 0.0013498980316300945)]
    [InlineData(-2.5, 0.0062096653257761352)]
    [InlineData(-2, 0.022750131948179207)]
    [InlineData(-1.5, 0.066807201268858066)]
    [InlineData(-1, 0.15865525393145705)]
    [InlineData(-0.75, 0.2266273523768682)]
    [InlineData(-0.6629, 0.25369730086823677)]
    [InlineData(-0.5, 0.3085375387259869)]
    [InlineData(-0.25, 0.40129367431707628)]
    [InlineData(-0.1, 0.46017216272297102)]
    [InlineData(-1e-08, 0.4999999960105772)]
    [InlineData(0, 0.5)]
    [InlineData(1e-08, 0.5000000039894228)]
    [InlineData(0.1, 0.53982783727702898)]
    [InlineData(0.25, 0.59870632568292372)]
    [InlineData(0.5, 0.6914624612740131)]
    [InlineData(0.6629, 0.74630269913176323)]
    [InlineData(0.75, 0.7733726476231318)]
    [InlineData(1, 0.84134474606854295)]
    [InlineData(1.5, 0.93319279873114193)]
    [InlineData(2, 0.97724986805182079)]
    [InlineData(3, 0.99865010196836991)]
    [InlineData(4, 0.99996832875816688)]
    [InlineData(5, 0.99999971334842812)]
    [InlineData(6, 0.99999999901341235)]
    [InlineData(7, 0.99999999999872019)]
    [InlineData(8, 0.99999999999999938)]
    public void Cdf_matches_high_precision_reference_to_1e15_relative(double x, double expected)
    {
        AssertRelative(expected, NormalDistribution.Cdf(x), 1e-15);
    }

    [Theory]
    [InlineData(-37, 2.1200065515246056e-298)]
    [InlineData(-20, 5.5209483621597632e-88)]
    [InlineData(-5, 1.4867195147342977e-6)]
    [InlineData(-1, 0.24197072451914335)]
    [InlineData(0, 0.39894228040143268)]
    [InlineData(0.5, 0.35206532676429948)]
    [InlineData(1.3, 0.17136859204780735)]
    [InlineData(3, 0.0044318484119380072)]
    [InlineData(8, 5.0522710835368923e-15)]
    public void Pdf_matches_high_precision_reference_to_1e15_relative(double x, double expected)
    {
        AssertRelative(expected, NormalDistribution.Pdf(x), 1e-15);
    }

    [Fact]
    public void Cdf_is_symmetric_and_monotone_across_the_branch_boundaries()
    {
        var previous = 0.0;
        for (var x = -12.0; x <= 12.0; x += 1.0 / 1024)
        {
            var value = NormalDistribution.Cdf(x);
            Assert.True(value >= previous, $"Φ decreased at {x}");
            Assert.Equal(1.0, value + NormalDistribution.Cdf(-x), 15);
            previous = value;
        }
    }

    [Fact]
    public void Cdf_saturates_and_propagates_nan()
    {
        Assert.Equal(0.0, NormalDistribution.Cdf(-40));
        Assert.Equal(0.0, NormalDistribution.Cdf(double.NegativeInfinity));
        Assert.Equal(1.0, NormalDistribution.Cdf(40));
        Assert.Equal(1.0, NormalDistribution.Cdf(double.PositiveInfinity));
        Assert.True(double.IsNaN(NormalDistribution.Cdf(double.NaN)));
        Assert.Equal(0.0, NormalDistribution.Pdf(double.NegativeInfinity));
    }

    [Fact]
    public void Cdf_derivative_is_the_pdf()
    {
        for (var x = -8.0; x <= 8.0; x += 0.37)
        {
            const double h = 1e-5;
            var numeric = (NormalDistribution.Cdf(x + h) - NormalDistribution.Cdf(x - h)) / (2 * h);
            Assert.Equal(NormalDistribution.Pdf(x), numeric, 9);
        }
    }

    private static void AssertRelative(double expected, double actual, double tolerance)
    {
        var error = Math.Abs(actual - expected) / Math.Abs(expected);
        Assert.True(error <= tolerance, $"expected {expected:R}, got {actual:R}, relative error {error:E2}");
    }
}
