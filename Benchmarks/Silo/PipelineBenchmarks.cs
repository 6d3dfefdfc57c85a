using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Ticker.Client.Synthetic;
using Ticker.Grains.Batching;
using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Ticks;
using Ticker.Grains.Market;
using Ticker.Grains.Streams;
using Ticker.Grains.Validation;
using Ticker.Protocol.Kite;
using Ticker.Silo.Diagnostics;
using Ticker.Silo.Hosting;
using Ticker.Silo.Transports.Embedded;

namespace Ticker.Benchmarks.Silo;

/// <summary>
/// The whole in-process path of one shard: decode (Kite frames) → validate → grain → IV + Greeks → batch → in-memory
/// sink, driven through the real <see cref="ShardWorker"/>. One operation is one tick; 90 % are option ticks.
/// </summary>
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    private const int TicksPerFrame = 1000;
    private const int Frames = 200;

    private InstrumentMaster _master = null!;
    private byte[][] _frames = null!;

    /// <summary>Instruments ticking (underlyings first, then options nearest the money).</summary>
    [Params(1000)]
    public int Instruments { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _master = SyntheticMaster.Create(SyntheticMaster.TodayInIndia(TimeProvider.System));
        var market = new SyntheticMarket(_master, new SyntheticMarketOptions { Instruments = Instruments });
        var ticks = new Tick[TicksPerFrame];
        _frames = new byte[Frames][];
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
        for (var f = 0; f < Frames; f++)
        {
            market.NextTicks(ticks, now + f);
            var frame = new byte[KiteEncoder.MessageLength(ticks)];
            KiteEncoder.Encode(ticks, frame);
            _frames[f] = frame;
        }
    }

    [Benchmark(OperationsPerInvoke = TicksPerFrame * Frames)]
    public Task ShardPipeline() => RunAsync();

    private async Task RunAsync()
    {
        var map = new ShardMap(_master, 1);
        var store = new InMemorySnapshotStore(_master);
        var reader = new FrameReplayReader(_frames);
        var worker = new ShardWorker(
            reader, store, store, _master, new TickValidator(_master, new TickValidationOptions()), map,
            new BatchingOptions(), new GrainOptions(), new GreeksOptions(), TimeProvider.System, NullLogger.Instance,
            new ShardStatistics(0), NullShardObserver.Instance);
        using var stop = new CancellationTokenSource();
        var run = worker.RunAsync(TimeSpan.FromSeconds(10), stop.Token);
        await reader.Drained.Task.ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        await run.ConfigureAwait(false);
        if (store.Written != TicksPerFrame * Frames)
        {
            throw new InvalidOperationException($"only {store.Written} of {TicksPerFrame * Frames} snapshots were written");
        }
    }
}
