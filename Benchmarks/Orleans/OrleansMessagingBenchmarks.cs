using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Streams;
using Ticker.Grains.Interfaces.Streams;
using Ticker.Grains.Interfaces.Ticks;

namespace Ticker.Benchmarks.Orleans;

/// <summary>
/// What one Orleans delivery costs on this machine, in one silo process: a local grain call (64 in flight), and a
/// memory-stream event of 1, 50 or 500 ticks from publish to an implicit subscriber. One operation is one call or
/// one event; ticks per second follow from the ticks per event. The 1-tick case is also the shape of per-instrument
/// streams (an instrument has about one tick per frame), the 500-tick case that of per-partition streams.
/// </summary>
public class OrleansMessagingBenchmarks
{
    /// <summary>The benchmark stream namespace.</summary>
    public const string StreamNamespace = "bench";

    private const int Calls = 20_000;
    private const int InFlight = 64;
    private const int Events = 2_000;
    private const int Streams = 4;

    private IHost _silo = null!;
    private IClusterClient _client = null!;
    private IAsyncStream<TickBatch>[] _streams = null!;
    private TickBatch _batch = null!;

    /// <summary>Ticks per stream event.</summary>
    [Params(1, 50, 500)]
    public int TicksPerEvent { get; set; }

    /// <summary>Starts a silo with a memory stream provider of <see cref="Streams"/> queues.</summary>
    [GlobalSetup]
    public void Start()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(FreePort(), FreePort());
            silo.AddMemoryStreams(StreamNamespace, streams =>
            {
                streams.ConfigurePartitioning(Streams);
                streams.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
                streams.ConfigurePullingAgent(o => o.Configure(agent => agent.GetQueueMsgsTimerPeriod = TimeSpan.FromMilliseconds(2)));
            });
        });
        _silo = builder.Build();
        _silo.StartAsync().GetAwaiter().GetResult();
        _client = _silo.Services.GetRequiredService<IClusterClient>();
        var provider = _client.GetStreamProvider(StreamNamespace);
        _streams = new IAsyncStream<TickBatch>[Streams];
        for (var s = 0; s < Streams; s++)
        {
            _streams[s] = provider.GetStream<TickBatch>(StreamId.Create(StreamNamespace, s));
        }

        var ticks = new Tick[TicksPerEvent];
        for (var i = 0; i < ticks.Length; i++)
        {
            ticks[i] = new Tick { InstrumentToken = (uint)i, LastPrice = 100, Mode = TickMode.Full };
        }

        _batch = new TickBatch(ticks);
    }

    /// <summary>Local grain calls, 64 in flight; one operation is one call.</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public async Task GrainCalls()
    {
        var callers = new Task[InFlight];
        for (var c = 0; c < InFlight; c++)
        {
            var grain = _client.GetGrain<IPingGrain>(c);
            callers[c] = Task.Run(async () =>
            {
                for (var i = 0; i < Calls / InFlight; i++)
                {
                    await grain.PingAsync(i);
                }
            });
        }

        await Task.WhenAll(callers);
    }

    /// <summary>Stream events published over <see cref="Streams"/> streams until every tick is delivered; one operation is one event.</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public async Task StreamEvents()
    {
        var target = CountingGrain.Delivered + ((long)Events * TicksPerEvent);
        var producers = new Task[Streams];
        for (var s = 0; s < Streams; s++)
        {
            var stream = _streams[s];
            producers[s] = Task.Run(async () =>
            {
                for (var e = 0; e < Events / Streams; e++)
                {
                    await stream.OnNextAsync(_batch);
                }
            });
        }

        await Task.WhenAll(producers);
        while (CountingGrain.Delivered < target)
        {
            await Task.Delay(1);
        }
    }

    /// <summary>Stops the silo.</summary>
    [GlobalCleanup]
    public void Stop()
    {
        _silo.StopAsync().GetAwaiter().GetResult();
        _silo.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
