using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Instruments;
using Ticker.Grains.Interfaces.Ticks;
using Ticker.Grains.Validation;

namespace Ticker.Tests.Grains.Validation;

public sealed class TickValidatorUnitTests
{
    /// <summary>2025-11-21T10:00:00 IST.</summary>
    private const long Now = 1_763_699_400;

    /// <summary>2025-11-21T00:00:00 IST.</summary>
    private const long StartOfDay = 1_763_663_400;

    private static readonly InstrumentMaster Master = SyntheticMaster.Create(new DateOnly(2025, 11, 21));
    private static readonly uint OptionToken = Master.Options(SyntheticMaster.Nifty50Token, new DateOnly(2025, 11, 25))[250].InstrumentToken;
    private static readonly uint FutureToken = Master.Instruments.First(i => i.Kind == InstrumentKind.Future).InstrumentToken;

    private static TickValidator Validator(ValidationMode mode = ValidationMode.Lenient, Action<TickValidationOptions>? configure = null)
    {
        var options = new TickValidationOptions { Mode = mode };
        configure?.Invoke(options);
        return new TickValidator(Master, options);
    }

    /// <summary>A full-mode tick that passes every rule.</summary>
    private static Tick ValidTick(uint token, double price = 120.5)
    {
        var tick = new Tick
        {
            InstrumentToken = token,
            Mode = TickMode.Full,
            Tradable = (token & 0xFF) != 9,
            LastPrice = price,
            LastTradedQuantity = 75,
            AverageTradedPrice = price,
            VolumeTraded = 1_500_000,
            TotalBuyQuantity = 40_000,
            TotalSellQuantity = 35_000,
            Open = price,
            High = price + 5,
            Low = price - 5,
            Close = price - 1,
            Change = 0.8,
            LastTradeTime = Now - 2,
            Oi = 5_000_000,
            OiDayHigh = 5_100_000,
            OiDayLow = 4_900_000,
            ExchangeTimestamp = Now - 1,
        };
        for (var level = 0; level < DepthSide.Levels; level++)
        {
            tick.Buy[level] = new DepthLevel { Price = price - (0.05 * (level + 1)), Quantity = 750, Orders = 3 };
            tick.Sell[level] = new DepthLevel { Price = price + (0.05 * (level + 1)), Quantity = 750, Orders = 2 };
        }

        return tick;
    }

    public static TheoryData<string, TickValidationReason> Cases => new()
    {
        { "valid option", TickValidationReason.Valid },
        { "valid index", TickValidationReason.Valid },
        { "valid future", TickValidationReason.Valid },
        { "option at zero price", TickValidationReason.Valid },
        { "ltp-mode index tick", TickValidationReason.Valid },
        { "token zero", TickValidationReason.TokenNotPositive },
        { "unknown token", TickValidationReason.UnknownInstrument },
        { "index at zero", TickValidationReason.UnderlyingPriceNotPositive },
        { "index negative", TickValidationReason.UnderlyingPriceNotPositive },
        { "future negative open", TickValidationReason.UnderlyingPriceNotPositive },
        { "index too high", TickValidationReason.UnderlyingPriceTooHigh },
        { "future high too high", TickValidationReason.UnderlyingPriceTooHigh },
        { "option negative", TickValidationReason.NegativeOptionPrice },
        { "option negative close", TickValidationReason.NegativeOptionPrice },
        { "option above underlying limit", TickValidationReason.Valid },
        { "nan price", TickValidationReason.NonFinitePrice },
        { "infinite index price", TickValidationReason.NonFinitePrice },
        { "nan change", TickValidationReason.NonFinitePrice },
        { "infinite depth price", TickValidationReason.NonFinitePrice },
        { "negative volume", TickValidationReason.NegativeVolume },
        { "negative last quantity", TickValidationReason.NegativeVolume },
        { "negative total sell", TickValidationReason.NegativeVolume },
        { "negative oi", TickValidationReason.NegativeOi },
        { "negative oi day low", TickValidationReason.NegativeOi },
        { "oi at limit", TickValidationReason.OiTooHigh },
        { "oi just below limit", TickValidationReason.Valid },
        { "exchange timestamp yesterday", TickValidationReason.TimestampBeforeTradingDay },
        { "exchange timestamp at midnight", TickValidationReason.Valid },
        { "exchange timestamp negative", TickValidationReason.TimestampBeforeTradingDay },
        { "exchange timestamp in future", TickValidationReason.TimestampInFuture },
        { "exchange timestamp within skew", TickValidationReason.Valid },
        { "last trade two weeks ago", TickValidationReason.Valid },
        { "last trade two months ago", TickValidationReason.TimestampBeforeTradingDay },
        { "last trade in future", TickValidationReason.TimestampInFuture },
        { "timestamps not sent", TickValidationReason.Valid },
        { "negative depth price", TickValidationReason.NegativeDepth },
        { "negative depth quantity", TickValidationReason.NegativeDepth },
        { "negative depth orders", TickValidationReason.NegativeDepth },
        { "token zero and nan price", TickValidationReason.TokenNotPositive },
        { "nan price and negative volume", TickValidationReason.NonFinitePrice },
    };

    private static Tick Make(string name)
    {
        var tick = ValidTick(OptionToken);
        var index = ValidTick(SyntheticMaster.Nifty50Token, 24_010.5);
        var future = ValidTick(FutureToken, 24_060);
        switch (name)
        {
            case "valid option": return tick;
            case "valid index": return index;
            case "valid future": return future;
            case "option at zero price": tick.LastPrice = 0; tick.Open = tick.High = tick.Low = tick.Close = tick.AverageTradedPrice = 0; return tick;
            case "ltp-mode index tick": return new Tick { InstrumentToken = SyntheticMaster.Nifty50Token, Mode = TickMode.Ltp, LastPrice = 24_000 };
            case "token zero": tick.InstrumentToken = 0; return tick;
            case "unknown token": tick.InstrumentToken = 12_345; return tick;
            case "index at zero": index.LastPrice = 0; return index;
            case "index negative": index.LastPrice = -1; return index;
            case "future negative open": future.Open = -0.05; return future;
            case "index too high": index.LastPrice = 1_000_000.01; return index;
            case "future high too high": future.High = 2_000_000; return future;
            case "option negative": tick.LastPrice = -0.05; return tick;
            case "option negative close": tick.Close = -1; return tick;
            case "option above underlying limit": tick.LastPrice = tick.High = 2_000_000; return tick;
            case "nan price": tick.LastPrice = double.NaN; return tick;
            case "infinite index price": index.LastPrice = double.PositiveInfinity; return index;
            case "nan change": tick.Change = double.NaN; return tick;
            case "infinite depth price": tick.Sell[4].Price = double.NegativeInfinity; return tick;
            case "negative volume": tick.VolumeTraded = -1; return tick;
            case "negative last quantity": tick.LastTradedQuantity = -75; return tick;
            case "negative total sell": tick.TotalSellQuantity = long.MinValue; return tick;
            case "negative oi": tick.Oi = -1; return tick;
            case "negative oi day low": tick.OiDayLow = -1; return tick;
            case "oi at limit": tick.Oi = 100_000_000; return tick;
            case "oi just below limit": tick.Oi = tick.OiDayHigh = 99_999_999; return tick;
            case "exchange timestamp yesterday": tick.ExchangeTimestamp = StartOfDay - 1; return tick;
            case "exchange timestamp at midnight": tick.ExchangeTimestamp = StartOfDay; return tick;
            case "exchange timestamp negative": tick.ExchangeTimestamp = -5; return tick;
            case "exchange timestamp in future": tick.ExchangeTimestamp = Now + 61; return tick;
            case "exchange timestamp within skew": tick.ExchangeTimestamp = Now + 60; return tick;
            case "last trade two weeks ago": tick.LastTradeTime = Now - (14 * 86_400); return tick;
            case "last trade two months ago": tick.LastTradeTime = Now - (60 * 86_400); return tick;
            case "last trade in future": tick.LastTradeTime = Now + 3_600; return tick;
            case "timestamps not sent": tick.LastTradeTime = 0; tick.ExchangeTimestamp = 0; return tick;
            case "negative depth price": tick.Buy[2].Price = -0.05; return tick;
            case "negative depth quantity": tick.Sell[0].Quantity = -1; return tick;
            case "negative depth orders": tick.Buy[4].Orders = -1; return tick;
            case "token zero and nan price": tick.InstrumentToken = 0; tick.LastPrice = double.NaN; return tick;
            case "nan price and negative volume": tick.LastPrice = double.NaN; tick.VolumeTraded = -1; return tick;
            default: throw new ArgumentException(name, nameof(name));
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_rule_names_its_reason(string name, TickValidationReason expected)
    {
        var tick = Make(name);

        Assert.Equal(expected, Validator(ValidationMode.Lenient).Validate(in tick, Now));
        Assert.Equal(expected, Validator(ValidationMode.Strict).Validate(in tick, Now));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Off_lets_everything_through(string name, TickValidationReason expected)
    {
        _ = expected;
        var tick = Make(name);
        Span<Tick> batch = [tick, tick];
        var counts = new int[TickValidator.ReasonCount];

        Assert.Equal(TickValidationReason.Valid, Validator(ValidationMode.Off).Validate(in tick, Now));
        Assert.Equal(new BatchValidationResult(2, 0, false), Validator(ValidationMode.Off).ValidateBatch(batch, Now, counts));
        Assert.All(counts, c => Assert.Equal(0, c));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_batch_counts_the_reason_of_each_invalid_tick(string name, TickValidationReason expected)
    {
        Span<Tick> batch = [Make(name), Make("valid index"), Make(name)];
        var counts = new int[TickValidator.ReasonCount];

        var result = Validator().ValidateBatch(batch, Now, counts);

        var invalid = expected == TickValidationReason.Valid ? 0 : 2;
        Assert.Equal(new BatchValidationResult(3 - invalid, invalid, false), result);
        for (var reason = 0; reason < TickValidator.ReasonCount; reason++)
        {
            Assert.Equal(reason == (int)expected && invalid > 0 ? 2 : 0, counts[reason]);
        }
    }

    [Fact]
    public void Lenient_compacts_the_valid_ticks_to_the_front_in_order()
    {
        var ticks = new Tick[10];
        for (var i = 0; i < ticks.Length; i++)
        {
            ticks[i] = ValidTick(i % 2 == 0 ? OptionToken : SyntheticMaster.Nifty50Token, 24_000 + i);
            ticks[i].VolumeTraded = i; // marks the original position
        }

        ticks[0].InstrumentToken = 0;
        ticks[3].LastPrice = double.NaN;
        ticks[4].Oi = -1;
        ticks[9].ExchangeTimestamp = Now + 3_600;
        var counts = new int[TickValidator.ReasonCount + 2];
        counts[(int)TickValidationReason.NegativeOi] = 5; // counts are added to, not reset

        var result = Validator().ValidateBatch(ticks, Now, counts);

        Assert.Equal(new BatchValidationResult(6, 4, false), result);
        Assert.Equal([1L, 2, 5, 6, 7, 8], ticks.Take(6).Select(t => t.VolumeTraded));
        Assert.Equal(24_005, ticks[2].LastPrice);
        Assert.Equal(24_005 - 0.25, ticks[2].Buy[4].Price, 1e-9); // depth travels with its tick
        Assert.Equal(1, counts[(int)TickValidationReason.TokenNotPositive]);
        Assert.Equal(1, counts[(int)TickValidationReason.NonFinitePrice]);
        Assert.Equal(6, counts[(int)TickValidationReason.NegativeOi]);
        Assert.Equal(1, counts[(int)TickValidationReason.TimestampInFuture]);
        Assert.Equal(0, counts[(int)TickValidationReason.Valid]);
        Assert.Equal(9, counts.Sum());
    }

    [Fact]
    public void Strict_rejects_the_whole_batch_and_leaves_it_untouched()
    {
        Tick[] ticks = [Make("valid option"), Make("negative volume"), Make("valid index"), Make("unknown token")];
        var before = ticks.Select(t => (t.InstrumentToken, t.VolumeTraded)).ToArray();
        var counts = new int[TickValidator.ReasonCount];

        var result = Validator(ValidationMode.Strict).ValidateBatch(ticks, Now, counts);

        Assert.Equal(new BatchValidationResult(0, 2, true), result);
        Assert.Equal(before, ticks.Select(t => (t.InstrumentToken, t.VolumeTraded)));
        Assert.Equal(1, counts[(int)TickValidationReason.NegativeVolume]);
        Assert.Equal(1, counts[(int)TickValidationReason.UnknownInstrument]);
        Assert.Equal(2, counts.Sum());
    }

    [Fact]
    public void Strict_passes_a_clean_batch_whole()
    {
        Tick[] ticks = [Make("valid option"), Make("valid index"), Make("valid future")];
        var counts = new int[TickValidator.ReasonCount];

        Assert.Equal(new BatchValidationResult(3, 0, false), Validator(ValidationMode.Strict).ValidateBatch(ticks, Now, counts));
        Assert.Equal(0, counts.Sum());
    }

    [Fact]
    public void An_empty_batch_is_valid()
    {
        var counts = new int[TickValidator.ReasonCount];

        Assert.Equal(new BatchValidationResult(0, 0, false), Validator(ValidationMode.Strict).ValidateBatch([], Now, counts));
        Assert.Equal(new BatchValidationResult(0, 0, false), Validator().ValidateBatch([], Now, counts));
    }

    [Fact]
    public void A_short_reason_count_span_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Validator().ValidateBatch([Make("valid option")], Now, new int[TickValidator.ReasonCount - 1]));

        Assert.Equal("reasonCounts", error.ParamName);
    }

    [Fact]
    public void Limits_come_from_the_options()
    {
        var strictLimits = Validator(configure: o =>
        {
            o.MaxUnderlyingPrice = 20_000;
            o.MaxOi = 1_000;
            o.MaxFutureSkew = TimeSpan.Zero;
            o.LastTradeTimeGrace = TimeSpan.Zero;
        });
        var lenientLimits = Validator(configure: o =>
        {
            o.MaxFutureSkew = TimeSpan.FromHours(2);
            o.ExchangeTimestampGrace = TimeSpan.FromHours(6);
        });

        var index = Make("valid index");
        Assert.Equal(TickValidationReason.UnderlyingPriceTooHigh, strictLimits.Validate(in index, Now));
        var option = Make("valid option");
        Assert.Equal(TickValidationReason.OiTooHigh, strictLimits.Validate(in option, Now));
        option.Oi = option.OiDayHigh = 999;
        option.OiDayLow = 0;
        option.ExchangeTimestamp = Now + 1;
        Assert.Equal(TickValidationReason.TimestampInFuture, strictLimits.Validate(in option, Now));
        option.ExchangeTimestamp = Now;
        option.LastTradeTime = StartOfDay - 1;
        Assert.Equal(TickValidationReason.TimestampBeforeTradingDay, strictLimits.Validate(in option, Now));

        var late = Make("last trade in future");
        Assert.Equal(TickValidationReason.Valid, lenientLimits.Validate(in late, Now));
        var lastSession = Make("valid option");
        lastSession.ExchangeTimestamp = StartOfDay - (5 * 3_600); // 19:00 IST the evening before
        Assert.Equal(TickValidationReason.Valid, lenientLimits.Validate(in lastSession, Now));
        lastSession.ExchangeTimestamp = StartOfDay - (7 * 3_600);
        Assert.Equal(TickValidationReason.TimestampBeforeTradingDay, lenientLimits.Validate(in lastSession, Now));
    }

    [Fact]
    public void The_trading_day_is_the_ist_date_of_now()
    {
        var tick = Make("valid option");
        tick.LastTradeTime = 0;
        tick.ExchangeTimestamp = StartOfDay + 10; // 00:00:10 IST on the 21st
        var validator = Validator();

        // 23:59:30 IST on the 20th: the tick is within the skew of now, and the 20th is the trading day.
        Assert.Equal(TickValidationReason.Valid, validator.Validate(in tick, StartOfDay - 30));
        // 00:01 IST on the 22nd: the 21st is the previous day.
        Assert.Equal(TickValidationReason.TimestampBeforeTradingDay, validator.Validate(in tick, StartOfDay + 86_400 + 60));
    }

    [Fact]
    public void Reason_names_cover_every_reason()
    {
        Assert.Equal(TickValidator.ReasonCount, Enum.GetValues<TickValidationReason>().Length);
        Assert.Equal(TickValidator.ReasonCount, TickValidationReasonNames.All.Count);
        Assert.Equal("unknown_instrument", TickValidationReasonNames.Of(TickValidationReason.UnknownInstrument));
        Assert.Equal("negative_depth", TickValidationReasonNames.Of(TickValidationReason.NegativeDepth));
        Assert.Equal(TickValidator.ReasonCount, TickValidationReasonNames.All.Distinct().Count());
    }

    [Fact]
    public void A_batch_allocates_nothing()
    {
        var ticks = new Tick[64];
        for (var i = 0; i < ticks.Length; i++)
        {
            ticks[i] = i % 5 == 0 ? Make("negative oi") : Make("valid option");
        }

        var counts = new int[TickValidator.ReasonCount];
        var validator = Validator();
        validator.ValidateBatch(ticks, Now, counts); // warm up

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 0; round < 10; round++)
        {
            validator.ValidateBatch(ticks, Now, counts);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
