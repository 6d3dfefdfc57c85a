using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using StackExchange.Redis;
using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Instruments;
using Ticker.Grains.Interfaces.Pricing;
using Ticker.Grains.Interfaces.Snapshots;
using Ticker.Grains.Interfaces.Streams;
using Ticker.Silo.Transports.Redis;
using StreamPosition = Ticker.Grains.Interfaces.Streams.StreamPosition;

namespace Ticker.Benchmarks.Silo;

/// <summary>
/// The Redis snapshot sink writing one flushed batch (1,000 option snapshots and the two indices, each a distinct
/// instrument, published) to a throwaway redis-server on loopback: the whole round trip, the script's work in Redis
/// included. <see cref="WriteBatch"/> rewrites the same positions (accepted: an idempotent rewrite);
/// <see cref="WriteStaleBatch"/> writes positions older than the stored ones (every snapshot refused by the fence).
/// </summary>
[MemoryDiagnoser]
public class RedisSnapshotSinkBenchmarks
{
    private const int Options = 1_000;

    private Process? _server;
    private IConnectionMultiplexer _redis = null!;
    private RedisSnapshotSink _sink = null!;
    private InstrumentSnapshot[] _underlyings = [];
    private InstrumentSnapshot[] _options = [];
    private InstrumentSnapshot[] _staleUnderlyings = [];
    private InstrumentSnapshot[] _staleOptions = [];

    /// <summary>Starts redis-server on a free port, builds the batches and writes the newer state the stale batch loses to.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var port = FreePort();
        _server = Process.Start(new ProcessStartInfo("redis-server", $"--port {port} --bind 127.0.0.1 --save \"\" --appendonly no")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("redis-server did not start (is it installed?)");
        _redis = ConnectWithRetry($"127.0.0.1:{port}");

        var master = SyntheticMaster.Create(new DateOnly(2025, 11, 21));
        _sink = new RedisSnapshotSink(_redis, master, new Ticker.Silo.Transports.Redis.RedisTransportOptions());
        var options = master.Instruments.Where(i => i.IsOption).Take(Options).ToArray();
        var indices = master.Underlyings.ToArray();
        _underlyings = [.. indices.Select(i => Snapshot(i, 1_763_699_400_000))];
        _options = [.. options.Select(i => Snapshot(i, 1_763_699_400_000))];
        _staleUnderlyings = [.. _underlyings.Select(s => s with { Position = Older(s.Position) })];
        _staleOptions = [.. _options.Select(s => s with { Position = Older(s.Position) })];
        WriteBatch();
    }

    /// <summary>Stops the server.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _redis.Dispose();
        _server?.Kill();
        _server?.Dispose();
    }

    /// <summary>One batch, written and published.</summary>
    [Benchmark(Baseline = true)]
    public void WriteBatch() => _sink.WriteAsync(_underlyings, _options, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    /// <summary>One batch of stale snapshots, every one refused.</summary>
    [Benchmark]
    public void WriteStaleBatch() => _sink.WriteAsync(_staleUnderlyings, _staleOptions, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    private static StreamPosition Older(StreamPosition position) => position with { Entry = position.Entry with { Milliseconds = position.Entry.Milliseconds - 1 } };

    private static InstrumentSnapshot Snapshot(Instrument instrument, long ms) => new()
    {
        InstrumentToken = instrument.InstrumentToken,
        Kind = instrument.Kind,
        LastPrice = instrument.IsOption ? 101.35 : instrument.LastPrice,
        VolumeTraded = 1_234_567,
        Oi = 456_000,
        ExchangeTimestamp = 1_763_699_400,
        LastTradeTime = 1_763_699_399,
        ReceivedAtUs = 1_763_699_400_123_456,
        UpdatedAtUs = 1_763_699_400_124_000,
        Ticks = 42,
        Position = new StreamPosition(new StreamEntryId(ms, 3), 17),
        Strike = instrument.Strike,
        ExpiryDayNumber = instrument.Expiry?.DayNumber ?? 0,
        UnderlyingToken = instrument.UnderlyingToken,
        UnderlyingPrice = 24_013.45,
        IvStatus = instrument.IsOption ? IvStatus.Ok : IvStatus.None,
        Iv = 0.1318,
        Greeks = new Greeks { Delta = 0.5123, Gamma = 0.00137, Vega = 8.8712, Theta = -20.551, Rho = 1.2345 },
        BidPrice = 101.3,
        BidQuantity = 150,
        AskPrice = 101.4,
        AskQuantity = 75,
    };

    private static IConnectionMultiplexer ConnectWithRetry(string endpoint)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return ConnectionMultiplexer.Connect(endpoint);
            }
            catch (RedisConnectionException) when (attempt < 50)
            {
                Thread.Sleep(100);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
