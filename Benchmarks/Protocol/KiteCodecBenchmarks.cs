using BenchmarkDotNet.Attributes;
using Ticker.Grains.Interfaces.Ticks;
using Ticker.Protocol.Kite;

namespace Ticker.Benchmarks.Protocol;

/// <summary>
/// The Kite codec on messages of 100 packets, the shape of a busy Kite frame and of a tick-stream entry. Each
/// benchmark reports the time per packet (OperationsPerInvoke) and must show 0 bytes allocated.
/// </summary>
[MemoryDiagnoser]
public class KiteCodecBenchmarks
{
    private const int Packets = 100;
    private const long ReceivedAtUs = 1_717_650_000_000_000;

    private readonly Tick[] _ticks = new Tick[Packets];
    private Tick[] _fullTicks = [];
    private Tick[] _quoteTicks = [];
    private byte[] _fullMessage = [];
    private byte[] _quoteMessage = [];
    private byte[] _buffer = [];

    /// <summary>Builds one message of full option packets and one of quote option packets.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _fullTicks = new Tick[Packets];
        _quoteTicks = new Tick[Packets];
        for (var i = 0; i < Packets; i++)
        {
            _fullTicks[i] = OptionTick(random, i, TickMode.Full);
            _quoteTicks[i] = OptionTick(random, i, TickMode.Quote);
        }

        _fullMessage = new byte[KiteEncoder.MessageLength(_fullTicks)];
        KiteEncoder.Encode(_fullTicks, _fullMessage);
        _quoteMessage = new byte[KiteEncoder.MessageLength(_quoteTicks)];
        KiteEncoder.Encode(_quoteTicks, _quoteMessage);
        _buffer = new byte[_fullMessage.Length];
    }

    /// <summary>Decodes 100 full (184-byte) packets.</summary>
    [Benchmark(OperationsPerInvoke = Packets)]
    public KiteDecodeError DecodeFull() => KiteDecoder.TryDecode(_fullMessage, _ticks, ReceivedAtUs, out _);

    /// <summary>Decodes 100 quote (44-byte) packets.</summary>
    [Benchmark(OperationsPerInvoke = Packets)]
    public KiteDecodeError DecodeQuote() => KiteDecoder.TryDecode(_quoteMessage, _ticks, ReceivedAtUs, out _);

    /// <summary>Encodes 100 full ticks.</summary>
    [Benchmark(OperationsPerInvoke = Packets)]
    public int EncodeFull() => KiteEncoder.Encode(_fullTicks, _buffer);

    /// <summary>Encodes 100 quote ticks.</summary>
    [Benchmark(OperationsPerInvoke = Packets)]
    public int EncodeQuote() => KiteEncoder.Encode(_quoteTicks, _buffer);

    private static Tick OptionTick(Random random, int i, TickMode mode)
    {
        var last = random.Next(100, 50_000) / 100.0;
        var tick = new Tick
        {
            InstrumentToken = (uint)((10_000 + i) << 8) | 2,
            Mode = mode,
            Tradable = true,
            LastPrice = last,
            LastTradedQuantity = 75,
            AverageTradedPrice = last,
            VolumeTraded = random.Next(1_000_000),
            TotalBuyQuantity = random.Next(100_000),
            TotalSellQuantity = random.Next(100_000),
            Open = last + 1,
            High = last + 2,
            Low = last - 1,
            Close = last + 0.5,
        };
        if (mode == TickMode.Full)
        {
            tick.LastTradeTime = 1_717_650_000;
            tick.Oi = random.Next(10_000_000);
            tick.ExchangeTimestamp = 1_717_650_001;
            for (var level = 0; level < DepthSide.Levels; level++)
            {
                tick.Buy[level] = new DepthLevel { Quantity = 75 * (level + 1), Price = last - (0.05 * (level + 1)), Orders = level + 1 };
                tick.Sell[level] = new DepthLevel { Quantity = 75 * (level + 1), Price = last + (0.05 * (level + 1)), Orders = level + 1 };
            }
        }

        return tick;
    }
}
