using System.Diagnostics;
using Ticker.Grains.Interfaces.Instruments;
using Ticker.Grains.Interfaces.Pricing;
using Ticker.Grains.Interfaces.Snapshots;
using Ticker.Grains.Interfaces.Streams;
using Ticker.Grains.Interfaces.Ticks;
using Ticker.Grains.Pricing;

namespace Ticker.Grains.Market;

/// <summary>
/// The state of one instrument, the domain object a partition consumer keeps per instrument (plain C#, no Orleans): an underlying
/// keeps its last price and OHLCV bars; an option keeps its last tick (with depth), its IV (the warm start for the
/// next solve) and Greeks. One caller at a time, as a grain's turns are.
/// </summary>
public sealed class InstrumentState
{
    private const double MicrosPerYear = 365.0 * 86_400 * 1_000_000;

    private readonly InstrumentSettings _settings;
    private readonly long _expiryUnixMicros;
    private Tick _lastTick;
    private long _ticks;
    private StreamPosition _position;
    private long _updatedAtUs;
    private long _barStartVolume;
    private long _lastVolume;
    private UnderlyingBar _bar;
    private UnderlyingBar _previousBar;
    private double _iv;
    private IvStatus _ivStatus;
    private double _underlyingPrice;
    private Greeks _greeks;

    /// <summary>Creates the empty state of <paramref name="instrument"/>.</summary>
    /// <param name="instrument">The master row.</param>
    /// <param name="settings">Pricing and bar settings.</param>
    public InstrumentState(Instrument instrument, InstrumentSettings settings)
    {
        Instrument = instrument;
        _settings = settings;
        _expiryUnixMicros = instrument.Expiry is { } expiry ? OptionClock.ExpiryUnixSeconds(expiry) * 1_000_000 : 0;
    }

    /// <summary>The master row.</summary>
    public Instrument Instrument { get; }

    /// <summary>Ticks applied since activation.</summary>
    public long TickCount => _ticks;

    /// <summary>When the last tick was applied, Unix microseconds (drives idle deactivation).</summary>
    public long LastActivityUs => _updatedAtUs;

    /// <summary>The last tick applied.</summary>
    public ref readonly Tick LastTick => ref _lastTick;

    /// <summary>The bar in progress (underlyings and futures).</summary>
    public UnderlyingBar CurrentBar => _bar;

    /// <summary>The last completed bar (underlyings and futures); <c>Start</c> is 0 before the first rollover.</summary>
    public UnderlyingBar PreviousBar => _previousBar;

    /// <summary>The last IV solve's outcome (options).</summary>
    public IvStatus IvStatus => _ivStatus;

    /// <summary>The last good IV (options); the warm start of the next solve.</summary>
    public double ImpliedVolatility => _iv;

    /// <summary>The stream position of the last tick applied.</summary>
    public StreamPosition Position => _position;

    /// <summary>Stopwatch ticks the last IV + Greeks computation took (for the latency histogram).</summary>
    public long LastGreeksElapsed { get; private set; }

    /// <summary>Restores the state a snapshot recorded (a grain activating after deactivation or on another silo).</summary>
    public void Restore(in InstrumentSnapshot snapshot)
    {
        _ticks = snapshot.Ticks;
        _position = snapshot.Position;
        _updatedAtUs = snapshot.UpdatedAtUs;
        _lastTick.InstrumentToken = snapshot.InstrumentToken;
        _lastTick.LastPrice = snapshot.LastPrice;
        _lastTick.VolumeTraded = snapshot.VolumeTraded;
        _lastTick.Oi = snapshot.Oi;
        _lastTick.ExchangeTimestamp = snapshot.ExchangeTimestamp;
        _lastTick.LastTradeTime = snapshot.LastTradeTime;
        _lastTick.ReceivedAtUs = snapshot.ReceivedAtUs;
        _lastTick.Buy[0] = new DepthLevel { Price = snapshot.BidPrice, Quantity = snapshot.BidQuantity };
        _lastTick.Sell[0] = new DepthLevel { Price = snapshot.AskPrice, Quantity = snapshot.AskQuantity };
        _bar = new UnderlyingBar
        {
            Start = snapshot.BarStart,
            Open = snapshot.BarOpen,
            High = snapshot.BarHigh,
            Low = snapshot.BarLow,
            Close = snapshot.BarClose,
            Volume = snapshot.BarVolume,
        };
        _lastVolume = snapshot.VolumeTraded;
        _barStartVolume = snapshot.VolumeTraded - snapshot.BarVolume;
        _underlyingPrice = snapshot.UnderlyingPrice;
        _ivStatus = snapshot.IvStatus;
        _iv = snapshot.IvStatus == IvStatus.Ok ? snapshot.Iv : 0;
        _greeks = snapshot.Greeks;
    }

    /// <summary>Whether the tick at <paramref name="position"/> was applied already (a redelivery to skip).</summary>
    public bool HasApplied(StreamPosition position) => !_position.IsZero && position.CompareTo(_position) <= 0;

    /// <summary>
    /// Applies a tick found at <paramref name="position"/> of the stream and writes the resulting snapshot into
    /// <paramref name="snapshot"/>. Callers skip ticks for which <see cref="HasApplied"/> is true.
    /// </summary>
    /// <param name="tick">The tick.</param>
    /// <param name="position">Its stream position.</param>
    /// <param name="underlyingPrice">For an option: the underlying's last price when the tick was read (0: none yet).</param>
    /// <param name="nowUs">Now, Unix microseconds.</param>
    /// <param name="snapshot">Receives the snapshot.</param>
    /// <returns>The IV outcome for options, <see cref="IvStatus.None"/> for others.</returns>
    /// <remarks>Allocates nothing.</remarks>
    public IvStatus Apply(in Tick tick, StreamPosition position, double underlyingPrice, long nowUs, ref InstrumentSnapshot snapshot)
    {
        _lastTick = tick;
        _ticks++;
        _position = position;
        _updatedAtUs = nowUs;
        var status = IvStatus.None;
        if (Instrument.IsOption)
        {
            status = ApplyOption(in tick, underlyingPrice);
        }
        else
        {
            ApplyUnderlying(in tick);
        }

        WriteSnapshot(ref snapshot);
        return status;
    }

    /// <summary>Writes the grain's current state into <paramref name="snapshot"/>.</summary>
    public void WriteSnapshot(ref InstrumentSnapshot snapshot)
    {
        ref readonly var tick = ref _lastTick;
        snapshot.InstrumentToken = Instrument.InstrumentToken;
        snapshot.Kind = Instrument.Kind;
        snapshot.LastPrice = tick.LastPrice;
        snapshot.VolumeTraded = tick.VolumeTraded;
        snapshot.Oi = tick.Oi;
        snapshot.ExchangeTimestamp = tick.ExchangeTimestamp;
        snapshot.LastTradeTime = tick.LastTradeTime;
        snapshot.ReceivedAtUs = tick.ReceivedAtUs;
        snapshot.UpdatedAtUs = _updatedAtUs;
        snapshot.Ticks = _ticks;
        snapshot.Position = _position;
        snapshot.BarStart = _bar.Start;
        snapshot.BarOpen = _bar.Open;
        snapshot.BarHigh = _bar.High;
        snapshot.BarLow = _bar.Low;
        snapshot.BarClose = _bar.Close;
        snapshot.BarVolume = _bar.Volume;
        snapshot.Strike = Instrument.Strike;
        snapshot.ExpiryDayNumber = Instrument.Expiry?.DayNumber ?? 0;
        snapshot.UnderlyingToken = Instrument.UnderlyingToken;
        snapshot.UnderlyingPrice = _underlyingPrice;
        snapshot.IvStatus = _ivStatus;
        snapshot.Iv = _ivStatus == IvStatus.Ok ? _iv : 0;
        snapshot.Greeks = _ivStatus == IvStatus.Ok ? _greeks : default;
        snapshot.BidPrice = tick.Buy[0].Price;
        snapshot.BidQuantity = tick.Buy[0].Quantity;
        snapshot.AskPrice = tick.Sell[0].Price;
        snapshot.AskQuantity = tick.Sell[0].Quantity;
    }

    private void ApplyUnderlying(in Tick tick)
    {
        var time = TickTimeSeconds(in tick);
        var start = time - (time % _settings.BarIntervalSeconds);
        var price = tick.LastPrice;
        if (start > _bar.Start)
        {
            if (_bar.Start != 0)
            {
                _previousBar = _bar;
            }

            // The day's cumulative volume when this bar opened; the bar's volume is measured from it.
            _barStartVolume = _lastVolume;
            _bar = new UnderlyingBar { Start = start, Open = price, High = price, Low = price, Close = price };
        }
        else
        {
            // A late tick (start < current bar) still moves the current bar: prices are the latest we know.
            _bar.High = Math.Max(_bar.High, price);
            _bar.Low = Math.Min(_bar.Low, price);
            _bar.Close = price;
        }

        if (tick.VolumeTraded > 0)
        {
            if (_lastVolume == 0)
            {
                // The first volume seen: nothing before it can be attributed to this bar.
                _barStartVolume = tick.VolumeTraded;
            }

            _lastVolume = tick.VolumeTraded;
            _bar.Volume = Math.Max(0, _lastVolume - _barStartVolume);
        }

        _bar.TickCount++;
    }

    private IvStatus ApplyOption(in Tick tick, double spot)
    {
        _underlyingPrice = spot;
        if (!_settings.GreeksEnabled)
        {
            return _ivStatus = IvStatus.None;
        }

        if (spot <= 0)
        {
            return _ivStatus = IvStatus.NoUnderlyingPrice;
        }

        var started = Stopwatch.GetTimestamp();
        var years = (_expiryUnixMicros - TickTimeMicros(in tick)) / MicrosPerYear;
        var right = Instrument.Kind == InstrumentKind.Call ? OptionRight.Call : OptionRight.Put;
        var status = Pricing.ImpliedVolatility.TrySolve(
            right, tick.LastPrice, spot, Instrument.Strike, years, _settings.RiskFreeRate, _settings.DividendYield, _iv, out var sigma);
        if (status == IvStatus.Ok)
        {
            _iv = sigma;
            BlackScholes.Compute(right, spot, Instrument.Strike, years, _settings.RiskFreeRate, _settings.DividendYield, sigma, ref _greeks);
        }

        LastGreeksElapsed = Stopwatch.GetTimestamp() - started;
        return _ivStatus = status;
    }

    /// <summary>The tick's market time: the exchange timestamp when sent, else the receive time.</summary>
    private static long TickTimeMicros(in Tick tick) =>
        tick.ExchangeTimestamp > 0 ? tick.ExchangeTimestamp * 1_000_000 : tick.ReceivedAtUs;

    private static long TickTimeSeconds(in Tick tick) =>
        tick.ExchangeTimestamp > 0 ? tick.ExchangeTimestamp : tick.ReceivedAtUs / 1_000_000;
}
