using System.Diagnostics.CodeAnalysis;
using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Instruments;
using Ticker.Grains.Interfaces.Ticks;

namespace Ticker.Grains.Validation;

/// <summary>
/// Checks ticks against the rules of the Phase 4 plan before they reach the grains, returning a named reason
/// instead of throwing. Rules, in the order they are checked (the first failure is the reason):
/// the token is non-zero and known to the master; every price (last, average, OHLC, change, depth) is finite;
/// an underlying or future has 0 &lt; last price ≤ <see cref="TickValidationOptions.MaxUnderlyingPrice"/> (OHLC and
/// average ≥ 0 and within the same bound), an option has no negative price; volume, last traded quantity and
/// total buy/sell quantities are ≥ 0; OI (and its day high/low) is ≥ 0 and below
/// <see cref="TickValidationOptions.MaxOi"/>; a non-zero exchange timestamp or last trade time is neither before
/// 00:00 IST of the day of "now" (less its grace) nor after now + <see cref="TickValidationOptions.MaxFutureSkew"/>;
/// no depth level has a negative price, quantity or order count.
/// </summary>
/// <remarks>Immutable after construction; safe to share between shard workers.</remarks>
public sealed class TickValidator
{
    /// <summary>The number of <see cref="TickValidationReason"/> values: the length a reason-count span needs.</summary>
    public const int ReasonCount = (int)TickValidationReason.NegativeDepth + 1;

    private readonly InstrumentMaster _master;
    private readonly InstrumentKind[] _kindById;
    private readonly ValidationMode _mode;
    private readonly double _maxUnderlyingPrice;
    private readonly long _maxOi;
    private readonly long _maxFutureSkewSeconds;
    private readonly long _exchangeTimestampGraceSeconds;
    private readonly long _lastTradeTimeGraceSeconds;

    /// <summary>Creates a validator over a master.</summary>
    /// <param name="master">Tokens it does not know are <see cref="TickValidationReason.UnknownInstrument"/>.</param>
    /// <param name="options">The rules' limits and the mode.</param>
    public TickValidator(InstrumentMaster master, TickValidationOptions options)
    {
        ArgumentNullException.ThrowIfNull(master);
        ArgumentNullException.ThrowIfNull(options);

        _master = master;
        _kindById = new InstrumentKind[master.Count];
        for (var id = 0; id < master.Count; id++)
        {
            _kindById[id] = master[id].Kind;
        }

        _mode = options.Mode;
        _maxUnderlyingPrice = options.MaxUnderlyingPrice;
        _maxOi = options.MaxOi;
        _maxFutureSkewSeconds = (long)Math.Ceiling(options.MaxFutureSkew.TotalSeconds);
        _exchangeTimestampGraceSeconds = (long)Math.Ceiling(options.ExchangeTimestampGrace.TotalSeconds);
        _lastTradeTimeGraceSeconds = (long)Math.Ceiling(options.LastTradeTimeGrace.TotalSeconds);
    }

    /// <summary>The mode this validator was created with.</summary>
    public ValidationMode Mode => _mode;

    /// <summary>Checks one tick.</summary>
    /// <param name="tick">The tick.</param>
    /// <param name="nowUnixSeconds">The current time (its IST date is the trading day).</param>
    /// <returns>The first rule it breaks, or <see cref="TickValidationReason.Valid"/> (always, in <see cref="ValidationMode.Off"/>).</returns>
    /// <remarks>Allocates nothing.</remarks>
    public TickValidationReason Validate(in Tick tick, long nowUnixSeconds)
    {
        if (_mode == ValidationMode.Off)
        {
            return TickValidationReason.Valid;
        }

        var window = new TimeWindow(this, nowUnixSeconds);
        return Check(in tick, in window);
    }

    /// <summary>
    /// Checks a batch. Lenient: compacts the valid ticks to the front of <paramref name="ticks"/> (order kept) and
    /// returns their count. Strict: any invalid tick rejects the whole batch (ValidCount 0, Rejected true) and the
    /// span is left as it was. Off: everything is valid and nothing is counted. In Lenient and Strict every invalid
    /// tick's reason is added to <c>reasonCounts[(int)reason]</c>.
    /// </summary>
    /// <param name="ticks">The batch; compacted in place in lenient mode.</param>
    /// <param name="nowUnixSeconds">The current time (its IST date is the trading day).</param>
    /// <param name="reasonCounts">Counters indexed by reason, at least <see cref="ReasonCount"/> long; added to, not cleared.</param>
    /// <returns>How many ticks go on, how many broke a rule, and whether the batch was rejected.</returns>
    /// <remarks>Allocates nothing; in lenient mode a tick is copied only when an invalid one precedes it.</remarks>
    /// <exception cref="ArgumentException"><paramref name="reasonCounts"/> is shorter than <see cref="ReasonCount"/>.</exception>
    public BatchValidationResult ValidateBatch(Span<Tick> ticks, long nowUnixSeconds, Span<int> reasonCounts)
    {
        if (reasonCounts.Length < ReasonCount)
        {
            ThrowReasonCountsTooShort(reasonCounts.Length);
        }

        if (_mode == ValidationMode.Off)
        {
            return new BatchValidationResult(ticks.Length, 0, false);
        }

        var window = new TimeWindow(this, nowUnixSeconds);
        var invalid = 0;
        if (_mode == ValidationMode.Strict)
        {
            for (var i = 0; i < ticks.Length; i++)
            {
                var reason = Check(in ticks[i], in window);
                if (reason != TickValidationReason.Valid)
                {
                    invalid++;
                    reasonCounts[(int)reason]++;
                }
            }

            return invalid == 0
                ? new BatchValidationResult(ticks.Length, 0, false)
                : new BatchValidationResult(0, invalid, true);
        }

        var write = 0;
        for (var read = 0; read < ticks.Length; read++)
        {
            var reason = Check(in ticks[read], in window);
            if (reason == TickValidationReason.Valid)
            {
                if (write != read)
                {
                    ticks[write] = ticks[read];
                }

                write++;
            }
            else
            {
                invalid++;
                reasonCounts[(int)reason]++;
            }
        }

        return new BatchValidationResult(write, invalid, false);
    }

    private TickValidationReason Check(in Tick tick, in TimeWindow window)
    {
        if (tick.InstrumentToken == 0)
        {
            return TickValidationReason.TokenNotPositive;
        }

        if (!_master.TryGetId(tick.InstrumentToken, out var id))
        {
            return TickValidationReason.UnknownInstrument;
        }

        if (!AllPricesFinite(in tick))
        {
            return TickValidationReason.NonFinitePrice;
        }

        var priceReason = _kindById[id] is InstrumentKind.Call or InstrumentKind.Put
            ? CheckOptionPrices(in tick)
            : CheckUnderlyingPrices(in tick);
        if (priceReason != TickValidationReason.Valid)
        {
            return priceReason;
        }

        if ((tick.VolumeTraded | tick.LastTradedQuantity | tick.TotalBuyQuantity | tick.TotalSellQuantity) < 0)
        {
            return TickValidationReason.NegativeVolume;
        }

        if ((tick.Oi | tick.OiDayHigh | tick.OiDayLow) < 0)
        {
            return TickValidationReason.NegativeOi;
        }

        if (tick.Oi >= _maxOi || tick.OiDayHigh >= _maxOi)
        {
            return TickValidationReason.OiTooHigh;
        }

        var timeReason = CheckTime(tick.ExchangeTimestamp, window.EarliestExchangeTimestamp, window.Latest);
        if (timeReason != TickValidationReason.Valid)
        {
            return timeReason;
        }

        timeReason = CheckTime(tick.LastTradeTime, window.EarliestLastTradeTime, window.Latest);
        if (timeReason != TickValidationReason.Valid)
        {
            return timeReason;
        }

        return DepthNonNegative(in tick.Buy) && DepthNonNegative(in tick.Sell)
            ? TickValidationReason.Valid
            : TickValidationReason.NegativeDepth;
    }

    /// <summary>x × 0 is ±0 for a finite x and NaN for NaN or ±∞, so the sum is 0 only when every price is finite.</summary>
    private static bool AllPricesFinite(in Tick tick)
    {
        var zero = (tick.LastPrice * 0) + (tick.AverageTradedPrice * 0) + (tick.Open * 0) + (tick.High * 0)
            + (tick.Low * 0) + (tick.Close * 0) + (tick.Change * 0);
        for (var level = 0; level < DepthSide.Levels; level++)
        {
            zero += (tick.Buy[level].Price * 0) + (tick.Sell[level].Price * 0);
        }

        return zero == 0;
    }

    private static TickValidationReason CheckOptionPrices(in Tick tick) =>
        tick.LastPrice < 0 || tick.AverageTradedPrice < 0 || tick.Open < 0 || tick.High < 0 || tick.Low < 0 || tick.Close < 0
            ? TickValidationReason.NegativeOptionPrice
            : TickValidationReason.Valid;

    private TickValidationReason CheckUnderlyingPrices(in Tick tick)
    {
        if (tick.LastPrice <= 0
            || tick.AverageTradedPrice < 0 || tick.Open < 0 || tick.High < 0 || tick.Low < 0 || tick.Close < 0)
        {
            return TickValidationReason.UnderlyingPriceNotPositive;
        }

        var max = _maxUnderlyingPrice;
        return tick.LastPrice > max || tick.AverageTradedPrice > max || tick.Open > max || tick.High > max || tick.Low > max || tick.Close > max
            ? TickValidationReason.UnderlyingPriceTooHigh
            : TickValidationReason.Valid;
    }

    /// <summary>0 means the field was not sent in the tick's mode and is skipped.</summary>
    private static TickValidationReason CheckTime(long unixSeconds, long earliest, long latest)
    {
        if (unixSeconds == 0)
        {
            return TickValidationReason.Valid;
        }

        if (unixSeconds < earliest)
        {
            return TickValidationReason.TimestampBeforeTradingDay;
        }

        return unixSeconds > latest ? TickValidationReason.TimestampInFuture : TickValidationReason.Valid;
    }

    private static bool DepthNonNegative(in DepthSide side)
    {
        for (var level = 0; level < DepthSide.Levels; level++)
        {
            ref readonly var entry = ref side[level];
            if (entry.Price < 0 || (entry.Quantity | (long)entry.Orders) < 0)
            {
                return false;
            }
        }

        return true;
    }

    [DoesNotReturn]
    private static void ThrowReasonCountsTooShort(int length) =>
        throw new ArgumentException($"reasonCounts needs at least {ReasonCount} elements (one per TickValidationReason); it has {length}.", "reasonCounts");

    /// <summary>The timestamp bounds for one "now", computed once per batch.</summary>
    private readonly struct TimeWindow
    {
        public TimeWindow(TickValidator validator, long nowUnixSeconds)
        {
            var startOfDay = IndiaTime.StartOfDayUnixSeconds(nowUnixSeconds);
            EarliestExchangeTimestamp = startOfDay - validator._exchangeTimestampGraceSeconds;
            EarliestLastTradeTime = startOfDay - validator._lastTradeTimeGraceSeconds;
            Latest = nowUnixSeconds + validator._maxFutureSkewSeconds;
        }

        public long EarliestExchangeTimestamp { get; }

        public long EarliestLastTradeTime { get; }

        public long Latest { get; }
    }
}
