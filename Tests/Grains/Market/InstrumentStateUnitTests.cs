using Ticker.Grains.Interfaces.Instruments;
using Ticker.Grains.Interfaces.Pricing;
using Ticker.Grains.Interfaces.Snapshots;
using Ticker.Grains.Interfaces.Streams;
using Ticker.Grains.Interfaces.Ticks;
using Ticker.Grains.Market;
using Ticker.Grains.Pricing;
using Ticker.Tests.Infrastructure;

namespace Ticker.Tests.Grains.Market;

public sealed class InstrumentStateUnitTests
{
    private int _entry;

    private StreamPosition Next() => new(new StreamEntryId(++_entry, 0), 0);

    private static MarketContext Context(bool greeks = true) =>
        new(new InstrumentSettings(new GreeksOptions { Enabled = greeks, RiskFreeRate = 0.065, DividendYield = 0.01 }, new GrainOptions()), new UnderlyingPrices(TestMarket.Master.Count));

    /// <summary>Applies a tick with the spot the context holds for the instrument's underlying.</summary>
    private static IvStatus Apply(InstrumentState state, MarketContext context, in Tick tick, StreamPosition position, long nowUs, ref InstrumentSnapshot snapshot)
    {
        TestMarket.Master.TryGetId(state.Instrument.InstrumentToken, out var id);
        return state.Apply(in tick, position, context.UnderlyingPrices.Get(TestMarket.Master.UnderlyingIdOf(id)), nowUs, ref snapshot);
    }

    private static InstrumentState Activate(MarketContext context, int id) => new(TestMarket.Master[id], context.Settings);

    /// <summary>What a partition consumer gives the instrument states: settings and the underlyings' last prices.</summary>
    private sealed record MarketContext(InstrumentSettings Settings, UnderlyingPrices UnderlyingPrices);

    [Fact]
    public void Underlying_bars_roll_over_on_interval_boundaries()
    {
        var context = Context();
        TestMarket.Master.TryGetId(TestMarket.Nifty.InstrumentToken, out var id);
        var grain = Activate(context, id);
        var snapshot = new InstrumentSnapshot();

        Apply(grain, context, TestMarket.Tick(TestMarket.Nifty.InstrumentToken, 24000, TestMarket.Us(4, 0, 5), volume: 1000), Next(), TestMarket.Us(4, 0, 5), ref snapshot);
        Apply(grain, context, TestMarket.Tick(TestMarket.Nifty.InstrumentToken, 24010, TestMarket.Us(4, 0, 30), volume: 1500), Next(), TestMarket.Us(4, 0, 30), ref snapshot);
        Apply(grain, context, TestMarket.Tick(TestMarket.Nifty.InstrumentToken, 23990, TestMarket.Us(4, 0, 59), volume: 1800), Next(), TestMarket.Us(4, 0, 59), ref snapshot);

        Assert.Equal(TestMarket.Us(4, 0) / 1_000_000, snapshot.BarStart);
        Assert.Equal((24000.0, 24010.0, 23990.0, 23990.0), (snapshot.BarOpen, snapshot.BarHigh, snapshot.BarLow, snapshot.BarClose));
        Assert.Equal(800, snapshot.BarVolume);

        Apply(grain, context, TestMarket.Tick(TestMarket.Nifty.InstrumentToken, 24020, TestMarket.Us(4, 1, 0), volume: 2000), Next(), TestMarket.Us(4, 1, 0), ref snapshot);

        Assert.Equal(TestMarket.Us(4, 1) / 1_000_000, snapshot.BarStart);
        Assert.Equal((24020.0, 24020.0, 24020.0, 24020.0), (snapshot.BarOpen, snapshot.BarHigh, snapshot.BarLow, snapshot.BarClose));
        Assert.Equal(200, snapshot.BarVolume);
        Assert.Equal(TestMarket.Us(4, 0) / 1_000_000, grain.PreviousBar.Start);
        Assert.Equal(23990.0, grain.PreviousBar.Close);
        Assert.Equal(4, snapshot.Ticks);
    }

    [Fact]
    public void Option_tick_recovers_the_volatility_it_was_priced_with_and_its_greeks()
    {
        var context = Context();
        var call = TestMarket.NiftyOption(InstrumentKind.Call, 24100);
        TestMarket.Master.TryGetId(TestMarket.Nifty.InstrumentToken, out var niftyId);
        TestMarket.Master.TryGetId(call.InstrumentToken, out var callId);
        context.UnderlyingPrices.Set(niftyId, 24000);
        var now = TestMarket.Us(4, 0);
        var years = OptionClock.YearsToExpiry(call.Expiry!.Value, now);
        var price = BlackScholes.Price(OptionRight.Call, 24000, call.Strike, years, 0.065, 0.01, 0.2);
        var expected = new Greeks();
        BlackScholes.Compute(OptionRight.Call, 24000, call.Strike, years, 0.065, 0.01, 0.2, ref expected);
        var tick = TestMarket.Tick(call.InstrumentToken, price, now);
        var snapshot = new InstrumentSnapshot();

        var status = Apply(Activate(context, callId), context, tick, Next(), now, ref snapshot);

        Assert.Equal(IvStatus.Ok, status);
        Assert.Equal(0.2, snapshot.Iv, 8);
        Assert.Equal(expected.Delta, snapshot.Greeks.Delta, 8);
        Assert.Equal(expected.Gamma, snapshot.Greeks.Gamma, 10);
        Assert.Equal(expected.Vega, snapshot.Greeks.Vega, 8);
        Assert.Equal(expected.Theta, snapshot.Greeks.Theta, 8);
        Assert.Equal(24000, snapshot.UnderlyingPrice);
        Assert.Equal(tick.Buy[0].Price, snapshot.BidPrice);
        Assert.Equal(tick.Sell[0].Price, snapshot.AskPrice);
        Assert.Equal(call.Strike, snapshot.Strike);
        Assert.Equal(call.Expiry!.Value.DayNumber, snapshot.ExpiryDayNumber);
    }

    [Fact]
    public void Undefined_iv_is_a_status_with_zero_greeks_never_nan()
    {
        var context = Context();
        var call = TestMarket.NiftyOption(InstrumentKind.Call, 23500);
        TestMarket.Master.TryGetId(call.InstrumentToken, out var callId);
        var grain = Activate(context, callId);
        var snapshot = new InstrumentSnapshot();

        var noSpot = Apply(grain, context, TestMarket.Tick(call.InstrumentToken, 600, TestMarket.Us(4, 0)), Next(), TestMarket.Us(4, 0), ref snapshot);
        Assert.Equal(IvStatus.NoUnderlyingPrice, noSpot);

        TestMarket.Master.TryGetId(TestMarket.Nifty.InstrumentToken, out var niftyId);
        context.UnderlyingPrices.Set(niftyId, 24000);
        var belowIntrinsic = Apply(grain, context, TestMarket.Tick(call.InstrumentToken, 100, TestMarket.Us(4, 0)), Next(), TestMarket.Us(4, 0), ref snapshot);

        Assert.Equal(IvStatus.BelowIntrinsic, belowIntrinsic);
        Assert.Equal(IvStatus.BelowIntrinsic, snapshot.IvStatus);
        Assert.Equal(0, snapshot.Iv);
        Assert.Equal(default, snapshot.Greeks);
    }

    [Fact]
    public void Greeks_off_publishes_prices_only()
    {
        var context = Context(greeks: false);
        var put = TestMarket.NiftyOption(InstrumentKind.Put, 24000);
        TestMarket.Master.TryGetId(put.InstrumentToken, out var id);
        var snapshot = new InstrumentSnapshot();

        var status = Apply(Activate(context, id), context, TestMarket.Tick(put.InstrumentToken, 120, TestMarket.Us(4, 0)), Next(), TestMarket.Us(4, 0), ref snapshot);

        Assert.Equal(IvStatus.None, status);
        Assert.Equal(120, snapshot.LastPrice);
        Assert.Equal(0, snapshot.Iv);
    }

    [Fact]
    public void A_grain_restored_from_its_snapshot_carries_on_and_recognises_redelivered_ticks()
    {
        var context = Context();
        TestMarket.Master.TryGetId(TestMarket.Nifty.InstrumentToken, out var id);
        var snapshot = new InstrumentSnapshot();
        var at = new StreamPosition(new StreamEntryId(1000, 3), 7);
        Apply(Activate(context, id), context, TestMarket.Tick(TestMarket.Nifty.InstrumentToken, 24000, TestMarket.Us(4, 0), volume: 500), at, TestMarket.Us(4, 0), ref snapshot);

        var restored = Activate(context, id);
        restored.Restore(in snapshot);

        Assert.True(restored.HasApplied(at));
        Assert.True(restored.HasApplied(new StreamPosition(new StreamEntryId(1000, 3), 6)));
        Assert.False(restored.HasApplied(new StreamPosition(new StreamEntryId(1000, 3), 8)));
        Assert.False(restored.HasApplied(new StreamPosition(new StreamEntryId(1001, 0), 0)));
        var next = new InstrumentSnapshot();
        Apply(restored, context, TestMarket.Tick(TestMarket.Nifty.InstrumentToken, 24005, TestMarket.Us(4, 0, 10), volume: 700), new StreamPosition(new StreamEntryId(1001, 0), 0), TestMarket.Us(4, 0, 10), ref next);
        Assert.Equal(2, next.Ticks);
        Assert.Equal(24005, next.BarClose);
        Assert.Equal(24005, next.BarHigh);
        Assert.Equal(200, next.BarVolume);
    }
}
