using BenchmarkDotNet.Attributes;
using Ticker.Grains.Interfaces.Pricing;
using Ticker.Grains.Pricing;

namespace Ticker.Benchmarks.Pricing;

/// <summary>
/// The per-tick pricing path: implied volatility (cold and warm-started) and Greeks, over a NIFTY-like weekly chain
/// of calls and puts (41 strikes, 50 apart around 24,000, smile from 11% to 20%). Each operation is one option tick.
/// </summary>
[MemoryDiagnoser]
public class GreeksBenchmarks
{
    private const double Spot = 24_000;
    private const double Years = 5.0 / 365;
    private const double Rate = 0.065;
    private const double Yield = 0.012;
    private const int Strikes = 41;

    private readonly OptionRight[] _rights = new OptionRight[2 * Strikes];
    private readonly double[] _strikes = new double[2 * Strikes];
    private readonly double[] _prices = new double[2 * Strikes];
    private readonly double[] _sigmas = new double[2 * Strikes];
    private readonly double[] _previousSigmas = new double[2 * Strikes];
    private int _next;

    /// <summary>Prices the chain and sets each warm start 0.3% away from the true IV, as after a typical tick.</summary>
    [GlobalSetup]
    public void Setup()
    {
        for (var i = 0; i < _strikes.Length; i++)
        {
            var k = i % Strikes;
            _rights[i] = i < Strikes ? OptionRight.Call : OptionRight.Put;
            _strikes[i] = Spot + ((k - (Strikes / 2)) * 50);
            var moneyness = Math.Log(_strikes[i] / Spot);
            _sigmas[i] = 0.11 + (2.0 * moneyness * moneyness) + (0.08 * Math.Abs(moneyness) / 0.04);
            _prices[i] = BlackScholes.Price(_rights[i], Spot, _strikes[i], Years, Rate, Yield, _sigmas[i]);
            _previousSigmas[i] = _sigmas[i] * (i % 2 == 0 ? 1.003 : 0.997);
        }
    }

    /// <summary>Implied volatility with no warm start (an instrument's first tick).</summary>
    [Benchmark]
    public double ColdIv()
    {
        var i = Next();
        ImpliedVolatility.TrySolve(_rights[i], _prices[i], Spot, _strikes[i], Years, Rate, Yield, 0, out var sigma);
        return sigma;
    }

    /// <summary>The steady state per option tick: IV warm-started from the previous tick's IV, then all Greeks.</summary>
    [Benchmark(Baseline = true)]
    public double WarmIvAndGreeks()
    {
        var i = Next();
        ImpliedVolatility.TrySolve(_rights[i], _prices[i], Spot, _strikes[i], Years, Rate, Yield, _previousSigmas[i], out var sigma);
        var greeks = default(Greeks);
        BlackScholes.Compute(_rights[i], Spot, _strikes[i], Years, Rate, Yield, sigma, ref greeks);
        return greeks.Delta;
    }

    /// <summary>Price and all Greeks at a known volatility.</summary>
    [Benchmark]
    public double GreeksOnly()
    {
        var i = Next();
        var greeks = default(Greeks);
        BlackScholes.Compute(_rights[i], Spot, _strikes[i], Years, Rate, Yield, _sigmas[i], ref greeks);
        return greeks.Delta;
    }

    /// <summary>One normal CDF evaluation, the building block of both.</summary>
    [Benchmark]
    public double NormalCdf()
    {
        var i = Next();
        return NormalDistribution.Cdf((i - Strikes) * 0.1);
    }

    private int Next()
    {
        var i = _next + 1;
        _next = i == _strikes.Length ? 0 : i;
        return _next;
    }
}
