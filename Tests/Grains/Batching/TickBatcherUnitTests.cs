using System.Diagnostics;
using Ticker.Grains.Batching;
using Ticker.Grains.Interfaces.Instruments;
using Ticker.Grains.Interfaces.Streams;
using Ticker.Grains.Market;
using Ticker.Tests.Infrastructure;

namespace Ticker.Tests.Grains.Batching;

public sealed class TickBatcherUnitTests
{
    private static (uint Token, bool Option) Grain(Instrument instrument) => (instrument.InstrumentToken, instrument.IsOption);

    [Fact]
    public void Underlyings_and_options_go_to_separate_batches_and_size_flushes()
    {
        var batcher = new TickBatcher(new BatchingOptions { MaxBatchSize = 2 });
        var nifty = Grain(TestMarket.Nifty);
        var call = Grain(TestMarket.NiftyOption(InstrumentKind.Call, 24000));
        var put = Grain(TestMarket.NiftyOption(InstrumentKind.Put, 24000));

        batcher.Reserve(nifty.Token, nifty.Option, 1).LastPrice = 24000;
        batcher.Reserve(call.Token, call.Option, 1).LastPrice = 100;
        Assert.False(batcher.IsFull);
        batcher.Reserve(put.Token, put.Option, 1).LastPrice = 90;

        Assert.True(batcher.IsFull);
        Assert.Equal(FlushReason.Size, batcher.FullReason);
        var batch = batcher.Detach(batcher.FullReason);
        Assert.Equal(1, batch.UnderlyingCount);
        Assert.Equal(2, batch.OptionCount);
        Assert.Equal(24000, batch.Underlyings.Span[0].LastPrice);
        Assert.Equal(new[] { 100.0, 90.0 }, batch.Options.ToArray().Select(s => s.LastPrice));
        Assert.Equal(FlushReason.Size, batch.Reason);
        Assert.False(batcher.HasPending);
    }

    [Fact]
    public void Window_elapses_only_after_the_configured_time_from_the_first_snapshot()
    {
        var batcher = new TickBatcher(new BatchingOptions { WindowMs = 100 });
        var start = Stopwatch.GetTimestamp();
        Assert.False(batcher.WindowElapsed(start + Stopwatch.Frequency));

        batcher.Reserve(TestMarket.Nifty.InstrumentToken, false, start);
        Assert.False(batcher.WindowElapsed(start + (Stopwatch.Frequency / 20)));
        Assert.True(batcher.WindowElapsed(start + (Stopwatch.Frequency / 10)));
    }

    [Fact]
    public void Conflation_keeps_only_the_latest_snapshot_per_instrument_per_batch()
    {
        var batcher = new TickBatcher(new BatchingOptions { Conflate = true });
        var call = Grain(TestMarket.NiftyOption(InstrumentKind.Call, 24000));
        var put = Grain(TestMarket.NiftyOption(InstrumentKind.Put, 24000));

        batcher.Reserve(call.Token, call.Option, 1).LastPrice = 100;
        batcher.Reserve(put.Token, put.Option, 1).LastPrice = 50;
        batcher.Reserve(call.Token, call.Option, 1).LastPrice = 101;
        var first = batcher.Detach(FlushReason.Idle);
        batcher.Reserve(call.Token, call.Option, 1).LastPrice = 102;
        var second = batcher.Detach(FlushReason.Idle);

        Assert.Equal(new[] { 101.0, 50.0 }, first.Options.ToArray().Select(s => s.LastPrice));
        Assert.Equal(new[] { 102.0 }, second.Options.ToArray().Select(s => s.LastPrice));
    }

    [Fact]
    public void Without_conflation_every_tick_has_its_snapshot()
    {
        var batcher = new TickBatcher(new BatchingOptions());
        var call = Grain(TestMarket.NiftyOption(InstrumentKind.Call, 24000));

        batcher.Reserve(call.Token, call.Option, 1).LastPrice = 100;
        batcher.Reserve(call.Token, call.Option, 1).LastPrice = 101;

        Assert.Equal(2, batcher.Detach(FlushReason.Idle).OptionCount);
    }

    [Fact]
    public void Disabled_batching_flushes_every_snapshot_on_its_own()
    {
        var batcher = new TickBatcher(new BatchingOptions { Enabled = false, MaxBatchSize = 1000 });

        batcher.Reserve(TestMarket.Nifty.InstrumentToken, false, 1);

        Assert.True(batcher.IsFull);
        Assert.Equal(FlushReason.Disabled, batcher.FullReason);
        Assert.Equal(1, batcher.MaxBatchSize);
    }

    [Fact]
    public void Entries_wait_in_the_batch_they_end_in_and_batches_are_reused()
    {
        var batcher = new TickBatcher(new BatchingOptions());
        batcher.CompleteEntry(new StreamEntryId(5, 1), 1);

        Assert.True(batcher.HasPending);
        var batch = batcher.Detach(FlushReason.Shutdown);
        Assert.Equal(new[] { new StreamEntryId(5, 1) }, batch.Entries.ToArray());
        Assert.Equal(0, batch.OptionCount + batch.UnderlyingCount);

        batcher.Return(batch);
        batcher.Detach(FlushReason.Idle);
        Assert.Same(batch, batcher.Detach(FlushReason.Idle));
        Assert.True(batch.IsEmpty);
    }
}
