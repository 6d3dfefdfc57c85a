using Ticker.Grains.Diagnostics;
using Ticker.Grains.Interfaces.Instruments;
using Ticker.Grains.Interfaces.Pricing;
using Ticker.Grains.Interfaces.Snapshots;
using Ticker.Grains.Interfaces.Streams;
using Ticker.Grains.Interfaces.Ticks;
using Ticker.Grains.Market;
using Ticker.Tests.Infrastructure;

namespace Ticker.Tests.Grains.Market;

/// <summary>A partition's instrument states: applied in place, redeliveries skipped by position, snapshots per delivery.</summary>
public sealed class PartitionInstrumentsUnitTests
{
    private static readonly InstrumentSettings Settings = new(new GreeksOptions(), new GrainOptions());

    [Fact]
    public void A_redelivered_tick_is_skipped_and_counted_and_the_current_state_is_written_once()
    {
        var instruments = New(conflate: false);
        var put = TestMarket.NiftyOption(InstrumentKind.Put, 23900);
        var id = Load(instruments, put.InstrumentToken, saved: null);

        Deliver(instruments, (put.InstrumentToken, id, 100, Position(5, 0)), (put.InstrumentToken, id, 101, Position(5, 1)));
        Assert.Equal((1, 2, 0), (instruments.Count, instruments.Counts.OptionTicks, instruments.Counts.Redelivered));
        Assert.Equal([1L, 2L], Snapshots(instruments).Select(s => s.Ticks));

        Deliver(instruments, (put.InstrumentToken, id, 100, Position(5, 0)), (put.InstrumentToken, id, 101, Position(5, 1)));

        Assert.Equal((0, 2), (instruments.Counts.OptionTicks, instruments.Counts.Redelivered));
        var resent = Assert.Single(Snapshots(instruments));
        Assert.Equal((2L, 101.0, Position(5, 1)), (resent.Ticks, resent.LastPrice, resent.Position));
        Assert.Equal(2, instruments.SnapshotOf(id)!.Value.Ticks);
    }

    [Fact]
    public void With_conflation_a_delivery_yields_one_snapshot_per_instrument_its_latest()
    {
        var instruments = New(conflate: true);
        var call = TestMarket.NiftyOption(InstrumentKind.Call, 24000);
        var nifty = TestMarket.Nifty;
        var callId = Load(instruments, call.InstrumentToken, saved: null);
        var niftyId = Load(instruments, nifty.InstrumentToken, saved: null);

        Deliver(instruments,
            (nifty.InstrumentToken, niftyId, 24000, Position(7, 0)),
            (call.InstrumentToken, callId, 150, Position(7, 1)),
            (call.InstrumentToken, callId, 151, Position(7, 2)),
            (nifty.InstrumentToken, niftyId, 24001, Position(8, 0)),
            (call.InstrumentToken, callId, 152, Position(8, 1)));

        var snapshots = Snapshots(instruments);
        Assert.Equal(2, snapshots.Length);
        Assert.Equal((nifty.InstrumentToken, 2L, 24001.0), (snapshots[0].InstrumentToken, snapshots[0].Ticks, snapshots[0].LastPrice));
        Assert.Equal((call.InstrumentToken, 3L, 152.0), (snapshots[1].InstrumentToken, snapshots[1].Ticks, snapshots[1].LastPrice));
        Assert.Equal((3, 2), (instruments.Counts.OptionTicks, instruments.Counts.UnderlyingTicks));
    }

    [Fact]
    public void A_state_loaded_from_its_snapshot_carries_on_and_skips_what_the_snapshot_holds()
    {
        var first = New(conflate: false);
        var call = TestMarket.NiftyOption(InstrumentKind.Call, 24100);
        var id = Load(first, call.InstrumentToken, saved: null);
        Deliver(first, (call.InstrumentToken, id, 120, Position(9, 0)), (call.InstrumentToken, id, 121, Position(9, 1)));
        var saved = first.SnapshotOf(id);

        // Another activation (after a deactivation or on another silo) loads the written snapshot.
        var next = New(conflate: false);
        Load(next, call.InstrumentToken, saved);
        Deliver(next, (call.InstrumentToken, id, 121, Position(9, 1)), (call.InstrumentToken, id, 122, Position(10, 0)));

        Assert.Equal((1, 1), (next.Counts.OptionTicks, next.Counts.Redelivered));
        var snapshot = Assert.Single(Snapshots(next));
        Assert.Equal((3L, 122.0), (snapshot.Ticks, snapshot.LastPrice));
    }

    [Fact]
    public void An_instrument_without_a_tick_has_no_snapshot()
    {
        var instruments = New(conflate: false);
        var id = Load(instruments, TestMarket.Nifty.InstrumentToken, saved: null);

        Assert.Null(instruments.SnapshotOf(id));
        Assert.False(instruments.IsLoaded(id + 1));
    }

    private static PartitionInstruments New(bool conflate) =>
        new(TestMarket.Master, Settings, conflate, NullPipelineObserver.Instance, new LatencyHistogram());

    private static int Load(PartitionInstruments instruments, uint token, InstrumentSnapshot? saved)
    {
        Assert.True(TestMarket.Master.TryGetId(token, out var id));
        instruments.Load(id, saved);
        Assert.True(instruments.IsLoaded(id));
        return id;
    }

    private static void Deliver(PartitionInstruments instruments, params (uint Token, int Id, double Price, StreamPosition Position)[] ticks)
    {
        instruments.BeginDelivery();
        foreach (var (token, id, price, position) in ticks)
        {
            var tick = TestMarket.Tick(token, price, TestMarket.Us(4, 0));
            instruments.Apply(in tick, id, position, underlyingPrice: 24_000, TestMarket.Us(4, 0));
        }

        instruments.EndDelivery();
    }

    private static InstrumentSnapshot[] Snapshots(PartitionInstruments instruments) => RawPayload.View<InstrumentSnapshot>(instruments.Snapshots).ToArray();

    private static StreamPosition Position(long entry, int index) => new(new StreamEntryId(entry, 0), index);
}
