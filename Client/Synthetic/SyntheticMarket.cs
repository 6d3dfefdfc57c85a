using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Instruments;
using Ticker.Grains.Interfaces.Pricing;
using Ticker.Grains.Interfaces.Ticks;
using Ticker.Grains.Pricing;

namespace Ticker.Client.Synthetic;

/// <summary>
/// A deterministic synthetic market over the instrument master: underlyings follow geometric Brownian motion,
/// options are priced by Black–Scholes–Merton on a <see cref="VolatilitySmile"/> (so the IVs a silo recovers form
/// that smile), and ticks come in all three modes (by instrument), with volume, OI and five levels of depth.
/// Single-threaded.
/// </summary>
public sealed class SyntheticMarket
{
    private const double MicrosPerYear = 365.0 * 86_400 * 1_000_000;
    private const double TickSize = 0.05;

    private readonly SyntheticMarketOptions _settings;
    private readonly Random _random;
    private readonly Instrument[] _underlyings;
    private readonly Instrument[] _optionInstruments;
    private readonly Dictionary<uint, int> _underlyingIndex = [];
    private readonly double[] _spot;
    private readonly long[] _spotUpdatedUs;
    private readonly VolatilitySmile[] _smiles;
    private readonly double[] _spotVolatility;
    private readonly long[] _volume;
    private readonly long[] _oi;
    private readonly TickMode[] _modes;
    private int _nextOption;
    private int _nextUnderlying;
    private long _sequence;

    /// <summary>Creates the market over the first instruments of <paramref name="master"/> (see <see cref="SyntheticMarketOptions.Instruments"/>).</summary>
    public SyntheticMarket(InstrumentMaster master, SyntheticMarketOptions options)
    {
        _settings = options;
        _random = new Random(options.Seed);
        _underlyings = [.. master.Underlyings.Where(u => u.LastPrice > 0)];
        for (var i = 0; i < _underlyings.Length; i++)
        {
            _underlyingIndex[_underlyings[i].InstrumentToken] = i;
        }

        var limit = options.Instruments > 0 ? Math.Max(0, options.Instruments - _underlyings.Length) : int.MaxValue;
        _optionInstruments = [.. master.Instruments
            .Where(i => i.IsOption && i.Expiry is not null && _underlyingIndex.ContainsKey(i.UnderlyingToken))
            .OrderBy(i => i.Expiry)
            .ThenBy(i => Math.Abs(i.Strike - SpotOf(i.UnderlyingToken)))
            .ThenBy(i => i.InstrumentToken)
            .Take(limit)];

        _spot = [.. _underlyings.Select(u => u.LastPrice)];
        _spotUpdatedUs = new long[_underlyings.Length];
        _smiles = [.. _underlyings.Select(u => u.TradingSymbol.Contains("BANK", StringComparison.Ordinal) ? VolatilitySmile.BankNifty : VolatilitySmile.Nifty)];
        _spotVolatility = [.. _smiles.Select(s => s.AtTheMoney)];
        _volume = new long[_optionInstruments.Length];
        _oi = new long[_optionInstruments.Length];
        _modes = new TickMode[_optionInstruments.Length];
        for (var i = 0; i < _optionInstruments.Length; i++)
        {
            _volume[i] = 1_000 * (1 + _random.Next(100));
            _oi[i] = 10_000 * (1 + _random.Next(500));
            _modes[i] = ModeOf(_optionInstruments[i].InstrumentToken);
        }

        Instruments = [.. _underlyings, .. _optionInstruments];

        double SpotOf(uint token) => _underlyings[_underlyingIndex[token]].LastPrice;
    }

    /// <summary>The instruments this market ticks: underlyings first, then options.</summary>
    public IReadOnlyList<Instrument> Instruments { get; }

    /// <summary>The smile options on <paramref name="underlyingToken"/> are priced with.</summary>
    public VolatilitySmile SmileOf(uint underlyingToken) => _smiles[_underlyingIndex[underlyingToken]];

    /// <summary>The current spot of <paramref name="underlyingToken"/>.</summary>
    public double SpotOf(uint underlyingToken) => _spot[_underlyingIndex[underlyingToken]];

    /// <summary>Fills <paramref name="destination"/> with the next ticks at time <paramref name="nowUs"/>.</summary>
    /// <returns>How many ticks were written (the whole span).</returns>
    public int NextTicks(Span<Tick> destination, long nowUs)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            ref var tick = ref destination[i];
            tick = default;
            if (_optionInstruments.Length == 0 || _sequence++ % _settings.UnderlyingEvery == 0)
            {
                NextUnderlyingTick(ref tick, nowUs);
            }
            else
            {
                NextOptionTick(ref tick, nowUs);
            }
        }

        return destination.Length;
    }

    private void NextUnderlyingTick(ref Tick tick, long nowUs)
    {
        var u = _nextUnderlying++ % _underlyings.Length;
        var instrument = _underlyings[u];
        if (_spotUpdatedUs[u] != 0 && nowUs > _spotUpdatedUs[u])
        {
            // Geometric Brownian motion over the real time elapsed.
            var dt = (nowUs - _spotUpdatedUs[u]) / MicrosPerYear;
            var sigma = _spotVolatility[u];
            _spot[u] *= Math.Exp((-0.5 * sigma * sigma * dt) + (sigma * Math.Sqrt(dt) * NextGaussian()));
        }

        _spotUpdatedUs[u] = nowUs;
        var price = RoundToTick(_spot[u]);
        tick.InstrumentToken = instrument.InstrumentToken;
        tick.Mode = TickMode.Full;
        tick.Tradable = (instrument.InstrumentToken & 0xFF) != 9;
        tick.LastPrice = price;
        tick.Close = RoundToTick(instrument.LastPrice);
        tick.Open = tick.Close;
        tick.High = Math.Max(tick.Close, price);
        tick.Low = Math.Min(tick.Close, price);
        tick.Change = tick.Close == 0 ? 0 : (price - tick.Close) * 100 / tick.Close;
        tick.ExchangeTimestamp = nowUs / 1_000_000;
    }

    private void NextOptionTick(ref Tick tick, long nowUs)
    {
        var o = _nextOption++ % _optionInstruments.Length;
        var option = _optionInstruments[o];
        var u = _underlyingIndex[option.UnderlyingToken];
        var spot = _spot[u];
        var years = OptionClock.YearsToExpiry(option.Expiry!.Value, nowUs);
        var right = option.Kind == InstrumentKind.Call ? OptionRight.Call : OptionRight.Put;
        var sigma = _smiles[u].VolatilityAt(option.Strike, spot);
        var fair = years > 0
            ? BlackScholes.Price(right, spot, option.Strike, years, _settings.RiskFreeRate, _settings.DividendYield, sigma)
            : Math.Max(0, right == OptionRight.Call ? spot - option.Strike : option.Strike - spot);
        var price = Math.Max(TickSize, RoundToTick(fair));

        _volume[o] += option.LotSize * (1 + _random.Next(10));
        _oi[o] = Math.Max(0, _oi[o] + (option.LotSize * (_random.Next(21) - 10)));

        tick.InstrumentToken = option.InstrumentToken;
        tick.Mode = _modes[o];
        tick.Tradable = true;
        tick.LastPrice = price;
        if (tick.Mode == TickMode.Ltp)
        {
            return;
        }

        tick.LastTradedQuantity = option.LotSize;
        tick.AverageTradedPrice = price;
        tick.VolumeTraded = _volume[o];
        tick.TotalBuyQuantity = option.LotSize * 50L;
        tick.TotalSellQuantity = option.LotSize * 48L;
        tick.Open = price;
        tick.High = price;
        tick.Low = price;
        tick.Close = price;
        if (tick.Mode != TickMode.Full)
        {
            return;
        }

        var seconds = nowUs / 1_000_000;
        tick.LastTradeTime = seconds;
        tick.ExchangeTimestamp = seconds;
        tick.Oi = _oi[o];
        tick.OiDayHigh = _oi[o];
        tick.OiDayLow = _oi[o];
        for (var level = 0; level < DepthSide.Levels; level++)
        {
            tick.Buy[level] = new DepthLevel { Price = Math.Max(0, RoundToTick(price - (TickSize * (level + 1)))), Quantity = option.LotSize * (level + 1), Orders = level + 1 };
            tick.Sell[level] = new DepthLevel { Price = RoundToTick(price + (TickSize * (level + 1))), Quantity = option.LotSize * (level + 1), Orders = level + 1 };
        }
    }

    private static TickMode ModeOf(uint token) => (token * 2654435761u >> 28) switch
    {
        < 8 => TickMode.Full,
        < 13 => TickMode.Quote,
        _ => TickMode.Ltp,
    };

    private static double RoundToTick(double price) => Math.Round(price / TickSize, MidpointRounding.AwayFromZero) * TickSize;

    private double NextGaussian()
    {
        // Box–Muller.
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
