using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Ticker.Client.Ingestion;
using Ticker.Client.Synthetic;
using Ticker.Grains.Diagnostics;
using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Ticks;
using Ticker.Protocol.Kite;
using Ticker.Silo.Hosting;

namespace Ticker.Benchmarks.Orleans;

/// <summary>
/// The whole in-process path on Orleans, as the demo runs it: Kite frames decoded by the <see cref="IngestWriter"/>,
/// published as one <c>TickBatch</c> per partition through the memory stream provider, consumed by the partition
/// grains, which apply them to their instruments' states (IV + Greeks), batched by the batcher grain into the in-memory store. One
/// operation is one tick; 90 % are option ticks. Compare with <c>PipelineBenchmarks.ShardPipeline</c> (the hand-made
/// shard worker on one core, same frames).
/// </summary>
[MemoryDiagnoser]
public class OrleansPipelineBenchmarks
{
    private const int TicksPerFrame = 1000;
    private const int Frames = 200;

    private WebApplication _silo = null!;
    private IngestWriter _ingest = null!;
    private SiloStatistics _statistics = null!;
    private byte[][] _frames = null!;

    /// <summary>Instruments ticking (underlyings first, then options nearest the money).</summary>
    [Params(1000)]
    public int Instruments { get; set; }

    /// <summary>Stream partitions (queues, partition grains).</summary>
    [Params(2)]
    public int Partitions { get; set; }

    /// <summary>Starts an embedded silo and builds the frames.</summary>
    [GlobalSetup]
    public void Start()
    {
        var master = SyntheticMaster.Create(SyntheticMaster.TodayInIndia(TimeProvider.System));
        var market = new SyntheticMarket(master, new SyntheticMarketOptions { Instruments = Instruments });
        var ticks = new Tick[TicksPerFrame];
        _frames = new byte[Frames][];
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
        for (var f = 0; f < Frames; f++)
        {
            market.NextTicks(ticks, now + f);
            _frames[f] = new byte[KiteEncoder.MessageLength(ticks)];
            KiteEncoder.Encode(ticks, _frames[f]);
        }

        var settings = new Dictionary<string, string?>
        {
            ["Http:Url"] = "http://127.0.0.1:0",
            ["Silo:ShardCount"] = Partitions.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Kite:Enabled"] = "false",
        };
        _silo = SiloApplication.Build(settings, static (services, configuration) => services.AddEmbeddedSilo(configuration));
        _silo.StartAsync().GetAwaiter().GetResult();
        _ingest = new IngestWriter(_silo.Services.GetRequiredService<OrleansTickStreamWriter>());
        _statistics = _silo.Services.GetRequiredService<SiloStatistics>();
    }

    /// <summary>One round: every frame decoded, published, applied and written; one operation is one tick.</summary>
    [Benchmark(OperationsPerInvoke = TicksPerFrame * Frames)]
    public async Task OrleansPipeline()
    {
        var target = _statistics.DeliveredTicks + (TicksPerFrame * Frames);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
        foreach (var frame in _frames)
        {
            await _ingest.WriteFrameAsync(frame, now, CancellationToken.None);
        }

        while (_statistics.DeliveredTicks < target)
        {
            await Task.Delay(1);
        }
    }

    /// <summary>Stops the silo.</summary>
    [GlobalCleanup]
    public void Stop()
    {
        _silo.StopAsync().GetAwaiter().GetResult();
        _silo.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
