using Microsoft.Extensions.Logging.Abstractions;
using Ticker.Grains.Batching;
using Ticker.Grains.Interfaces.Snapshots;
using Ticker.Grains.Interfaces.Ticks;
using Ticker.Grains.Market;
using Ticker.Grains.Streams;
using Ticker.Grains.Validation;
using Ticker.Silo.Diagnostics;
using Ticker.Silo.Hosting;
using Ticker.Silo.Transports.Embedded;
using Ticker.Tests.Infrastructure;

namespace Ticker.Tests.Silo.Hosting;

/// <summary>One shard worker over the embedded stream, running in the test process.</summary>
internal sealed class WorkerHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();

    private WorkerHarness(BatchingOptions batching, ISnapshotSink? sink, int streamCapacity)
    {
        var map = new ShardMap(TestMarket.Master, 1);
        Stream = new EmbeddedTickStream(map, streamCapacity);
        Store = new InMemorySnapshotStore(TestMarket.Master);
        Statistics = new ShardStatistics(0);
        var reader = Stream.OpenReaderAsync(0, default).AsTask().Result;
        Worker = new ShardWorker(
            reader, sink ?? Store, Store, TestMarket.Master, new TickValidator(TestMarket.Master, new TickValidationOptions()), map,
            batching, new GrainOptions(), new GreeksOptions(), TimeProvider.System, NullLogger.Instance, Statistics, NullShardObserver.Instance);
        Run = Task.Run(() => Worker.RunAsync(TimeSpan.FromSeconds(10), _stop.Token));
    }

    public EmbeddedTickStream Stream { get; }

    public InMemorySnapshotStore Store { get; }

    public ShardStatistics Statistics { get; }

    public ShardWorker Worker { get; }

    public Task Run { get; }

    public static WorkerHarness Start(BatchingOptions batching, ISnapshotSink? sink = null, int streamCapacity = 64) =>
        new(batching, sink, streamCapacity);

    /// <summary>Writes <paramref name="count"/> NIFTY ticks, one stream write each, stamped now.</summary>
    public async Task WriteTicksAsync(int count, int startPrice = 24000)
    {
        for (var i = 0; i < count; i++)
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
            var tick = TestMarket.Tick(TestMarket.Nifty.InstrumentToken, startPrice + i, now);
            await Stream.WriteAsync(new[] { tick }, default);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds, failing after 10 seconds.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting until {what}");
            }

            await Task.Delay(5);
        }
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Run;
    }

    public async ValueTask DisposeAsync()
    {
        if (!Run.IsCompleted)
        {
            await StopAsync();
        }

        _stop.Dispose();
    }
}
