using Ticker.Grains.Batching;
using Ticker.Grains.Interfaces.Snapshots;
using Ticker.Tests.Infrastructure;

namespace Ticker.Tests.Silo.Hosting;

public sealed class ShardWorkerUnitTests
{
    [Fact]
    public async Task Idle_input_flushes_at_once_without_waiting_for_the_window()
    {
        await using var harness = WorkerHarness.Start(new BatchingOptions { WindowMs = 10_000, IdleFlush = true });

        await harness.WriteTicksAsync(5);
        await WorkerHarness.WaitUntilAsync(() => harness.Store.Written == 5, "five snapshots are written");

        Assert.True(harness.Statistics.FlushesByReason[(int)FlushReason.Idle] >= 1);
        Assert.Equal(0, harness.Statistics.FlushesByReason[(int)FlushReason.Window]);
        Assert.True(harness.Store.TryGet(TestMarket.Nifty.InstrumentToken, out var snapshot));
        Assert.Equal(24004, snapshot.LastPrice);
        Assert.Equal(5, snapshot.Ticks);
    }

    [Fact]
    public async Task Without_idle_flush_the_window_flushes()
    {
        await using var harness = WorkerHarness.Start(new BatchingOptions { WindowMs = 50, IdleFlush = false });

        await harness.WriteTicksAsync(3);
        await WorkerHarness.WaitUntilAsync(() => harness.Store.Written == 3, "three snapshots are written");

        Assert.True(harness.Statistics.FlushesByReason[(int)FlushReason.Window] >= 1);
        Assert.Equal(0, harness.Statistics.FlushesByReason[(int)FlushReason.Idle]);
    }

    [Fact]
    public async Task Size_limit_flushes_before_the_window()
    {
        await using var harness = WorkerHarness.Start(new BatchingOptions { WindowMs = 10_000, IdleFlush = false, MaxBatchSize = 4 });

        await harness.WriteTicksAsync(8);
        await WorkerHarness.WaitUntilAsync(() => harness.Store.Written == 8, "eight snapshots are written");

        Assert.Equal(2, harness.Statistics.FlushesByReason[(int)FlushReason.Size]);
    }

    [Fact]
    public async Task Shutdown_flushes_everything_pending()
    {
        var harness = WorkerHarness.Start(new BatchingOptions { WindowMs = 10_000, IdleFlush = false });

        await harness.WriteTicksAsync(7);
        await WorkerHarness.WaitUntilAsync(() => harness.Statistics.EntriesRead == 7, "the worker has read every entry");
        Assert.Equal(0, harness.Store.Written);
        await harness.StopAsync();

        Assert.Equal(7, harness.Store.Written);
        Assert.Equal(1, harness.Statistics.FlushesByReason[(int)FlushReason.Shutdown]);
        await harness.DisposeAsync();
    }

    [Fact]
    public async Task Disabled_batching_publishes_each_tick_on_its_own()
    {
        await using var harness = WorkerHarness.Start(new BatchingOptions { Enabled = false });

        await harness.WriteTicksAsync(6);
        await WorkerHarness.WaitUntilAsync(() => harness.Store.Written == 6, "six snapshots are written");

        Assert.Equal(6, harness.Statistics.FlushesByReason[(int)FlushReason.Disabled]);
    }

    [Fact]
    public async Task A_stalled_sink_stops_the_reader_and_nothing_is_lost_when_it_recovers()
    {
        var sink = new GatedSink();
        await using var harness = WorkerHarness.Start(new BatchingOptions { Enabled = false, MaxPendingBatches = 1, WindowMs = 10_000 }, sink, streamCapacity: 2);

        var writing = harness.WriteTicksAsync(50);
        await WorkerHarness.WaitUntilAsync(() => sink.Entered, "the first write reached the sink");
        await WorkerHarness.WaitUntilAsync(() => harness.Statistics.EntriesRead >= 3, "the worker filled its flush queue");
        await Task.Delay(300);

        // One batch in the sink, one queued, one waiting to be queued: the worker reads no further.
        Assert.Equal(3, harness.Statistics.EntriesRead);
        Assert.False(writing.IsCompleted);

        sink.Open();
        await writing;
        await WorkerHarness.WaitUntilAsync(() => sink.Written == 50, "all fifty snapshots are written");
        Assert.Equal(50, harness.Statistics.EntriesRead);
    }

    private sealed class GatedSink : ISnapshotSink
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _written;

        public bool Entered { get; private set; }

        public int Written => Volatile.Read(ref _written);

        public void Open() => _gate.TrySetResult();

        public async ValueTask WriteAsync(ReadOnlyMemory<InstrumentSnapshot> underlyings, ReadOnlyMemory<InstrumentSnapshot> options, CancellationToken cancellationToken)
        {
            Entered = true;
            await _gate.Task.WaitAsync(cancellationToken);
            Interlocked.Add(ref _written, underlyings.Length + options.Length);
        }
    }
}
