using Ticker.Grains.Diagnostics;
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
/// sink, driven through the real <see cref="ShardWorker"/> in its steady state (grains active, batches pooled). One
/// operation is one tick; 90 % are option ticks.
/// </summary>
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    private const int TicksPerFrame = 1000;
    private const int Frames = 200;

    private readonly CancellationTokenSource _stop = new();
    private InstrumentMaster _master = null!;
    private byte[][] _frames = null!;
    private InMemorySnapshotStore _store = null!;
    private FrameReplayReader _reader = null!;
    private TaskCompletionSource? _roundWritten;
    private Task _run = Task.CompletedTask;
    private long _target;

    /// <summary>Instruments ticking (underlyings first, then options nearest the money).</summary>
    [Params(1000)]
    public int Instruments { get; set; }

    /// <summary>Builds the master and the frames.</summary>
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

    [GlobalSetup(Target = nameof(ShardPipeline))]
    public void StartWorker()
    {
        Setup();
        var map = new ShardMap(_master, 1);
        _store = new InMemorySnapshotStore(_master);
        _store.BatchWritten += (_, _) =>
        {
            if (_store.Written >= Volatile.Read(ref _target))
            {
                _roundWritten?.TrySetResult();
            }
        };
        _reader = new FrameReplayReader(_frames);
        var worker = new ShardWorker(
            _reader, _store, _store, _master, new TickValidator(_master, new TickValidationOptions()), map,
            new BatchingOptions(), new GrainOptions(), new GreeksOptions(), TimeProvider.System, NullLogger.Instance,
            new ShardStatistics(0), NullPipelineObserver.Instance);
        _run = Task.Run(() => worker.RunAsync(TimeSpan.FromSeconds(10), _stop.Token));
    }

    /// <summary>One round: every frame decoded, applied and written; one operation is one tick.</summary>
    [Benchmark(OperationsPerInvoke = TicksPerFrame * Frames)]
    public Task ShardPipeline()
    {
        _roundWritten = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _target, _store.Written + (TicksPerFrame * Frames));
        _reader.Replay();
        return _roundWritten.Task;
    }

    [GlobalCleanup(Target = nameof(ShardPipeline))]
    public void StopWorker()
    {
        _stop.Cancel();
        _run.GetAwaiter().GetResult();
    }
}
