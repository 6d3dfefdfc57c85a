using Ticker.Grains.Interfaces.Ticks;
using Ticker.Protocol.Kite;

namespace Ticker.Tests.Protocol.Kite;

public sealed class KiteEncoderUnitTests
{
    private const uint Index = 256265;
    private const uint Option = (12345u << 8) | 2;

    [Theory]
    [InlineData(TickMode.Ltp, Option, 8)]
    [InlineData(TickMode.Ltp, Index, 8)]
    [InlineData(TickMode.Quote, Option, 44)]
    [InlineData(TickMode.Quote, Index, 28)]
    [InlineData(TickMode.Full, Option, 184)]
    [InlineData(TickMode.Full, Index, 32)]
    public void PacketLength_follows_the_mode_and_whether_the_segment_is_indices(TickMode mode, uint token, int length)
    {
        // The segment decides, not the Tradable flag.
        var tick = new Tick { Mode = mode, InstrumentToken = token, Tradable = token != Index };
        Assert.Equal(length, KiteEncoder.PacketLength(tick));
        tick.Tradable = !tick.Tradable;
        Assert.Equal(length, KiteEncoder.PacketLength(tick));
    }

    [Fact]
    public void An_undefined_mode_cannot_be_encoded()
    {
        Assert.Throws<ArgumentException>(() => KiteEncoder.PacketLength(new Tick { InstrumentToken = Option }));
        Assert.Throws<ArgumentException>(() => KiteEncoder.Encode([new Tick { Mode = (TickMode)4 }], new byte[1024]));
    }

    [Fact]
    public void MessageLength_adds_the_header_and_a_length_per_packet()
    {
        Tick[] ticks =
        [
            new() { Mode = TickMode.Ltp, InstrumentToken = Option },
            new() { Mode = TickMode.Full, InstrumentToken = Option },
            new() { Mode = TickMode.Quote, InstrumentToken = Index },
        ];
        Assert.Equal(2 + (2 + 8) + (2 + 184) + (2 + 28), KiteEncoder.MessageLength(ticks));
        Assert.Equal(2, KiteEncoder.MessageLength([]));
    }

    [Fact]
    public void No_ticks_encode_to_a_zero_count_header()
    {
        var buffer = new byte[2];
        Assert.Equal(2, KiteEncoder.Encode([], buffer));
        Assert.Equal(new byte[] { 0, 0 }, buffer);
    }

    [Fact]
    public void Encoding_produces_the_wire_bytes_of_every_packet_kind()
    {
        var full = KiteDecoderUnitTests.FullPacket(Option, out var fullTick);
        // The encoder writes zero padding; the hand-built packet used non-zero padding to test the decoder.
        for (var entry = 0; entry < 10; entry++)
        {
            full[64 + (entry * 12) + 10] = 0;
            full[64 + (entry * 12) + 11] = 0;
        }

        Tick[] ticks =
        [
            new() { InstrumentToken = Index, Mode = TickMode.Ltp, LastPrice = 24000 },
            new() { InstrumentToken = Index, Mode = TickMode.Quote, LastPrice = 24120, High = 24300, Low = 23800, Open = 23900, Close = 24000 },
            new() { InstrumentToken = Index, Mode = TickMode.Full, LastPrice = 23990, High = 24300, Low = 23800, Open = 23900, Close = 24000, ExchangeTimestamp = 7 },
            new()
            {
                InstrumentToken = Option, Mode = TickMode.Quote, LastPrice = 0.01, LastTradedQuantity = 2, AverageTradedPrice = 0.03,
                VolumeTraded = 4, TotalBuyQuantity = 5, TotalSellQuantity = 6, Open = 0.07, High = 0.08, Low = 0.09, Close = 0.1,
            },
            fullTick,
        ];
        var expected = KiteBytes.Message(
            KiteBytes.Ltp(Index, 2_400_000),
            KiteBytes.IndexQuote(Index, 2_412_000, 2_430_000, 2_380_000, 2_390_000, 2_400_000, rawChange: 12_000),
            KiteBytes.IndexFull(Index, 2_399_000, 2_430_000, 2_380_000, 2_390_000, 2_400_000, rawChange: unchecked((uint)-1_000), 7),
            KiteBytes.Quote(Option, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
            full);

        var buffer = new byte[KiteEncoder.MessageLength(ticks)];
        Assert.Equal(buffer.Length, KiteEncoder.Encode(ticks, buffer));
        Assert.Equal(expected, buffer);
    }

    [Theory]
    [InlineData(0.29, 100.0, 29u)]            // 0.29 * 100 = 28.999999999999996: truncating would give 28
    [InlineData(24012.499999999, 100.0, 2_401_250u)]
    [InlineData(1.15, 100.0, 115u)]           // 1.15 * 100 = 114.99999999999999
    [InlineData(83.4567891, 10_000_000.0, 834_567_891u)]
    [InlineData(12.3457, 10_000.0, 123_457u)]
    [InlineData(-5.0, 100.0, 0u)]
    [InlineData(double.NaN, 100.0, 0u)]
    [InlineData(double.PositiveInfinity, 100.0, uint.MaxValue)]
    [InlineData(1e12, 100.0, uint.MaxValue)]
    public void Prices_are_rounded_to_the_grid_and_saturate(double price, double divisor, uint raw) =>
        Assert.Equal(raw, KiteEncoder.ScalePrice(price, divisor));

    [Fact]
    public void Out_of_range_quantities_and_orders_saturate()
    {
        var tick = new Tick { InstrumentToken = Option, Mode = TickMode.Full, LastTradedQuantity = -3, VolumeTraded = 1L << 40 };
        tick.Buy[0] = new DepthLevel { Quantity = -1, Price = 1, Orders = 70_000 };
        tick.Sell[0] = new DepthLevel { Quantity = 1, Price = 1, Orders = -1 };

        var decoded = RoundTrip([tick]);

        Assert.Equal(0, decoded[0].LastTradedQuantity);
        Assert.Equal(uint.MaxValue, decoded[0].VolumeTraded);
        Assert.Equal(0, decoded[0].Buy[0].Quantity);
        Assert.Equal(ushort.MaxValue, decoded[0].Buy[0].Orders);
        Assert.Equal(0, decoded[0].Sell[0].Orders);
    }

    [Fact]
    public void A_destination_too_small_fails_TryEncode_and_throws_from_Encode()
    {
        Tick[] ticks = [new() { InstrumentToken = Option, Mode = TickMode.Full }];
        var length = KiteEncoder.MessageLength(ticks);
        for (var size = 0; size < length; size++)
        {
            Assert.False(KiteEncoder.TryEncode(ticks, new byte[size], out var written));
            Assert.Equal(0, written);
        }

        Assert.Throws<ArgumentException>(() => KiteEncoder.Encode(ticks, new byte[length - 1]));
        Assert.True(KiteEncoder.TryEncode(ticks, new byte[length + 10], out var all));
        Assert.Equal(length, all);
    }

    [Fact]
    public void More_ticks_than_a_message_can_count_are_refused()
    {
        var ticks = new Tick[KitePacketLengths.MaxPacketsPerMessage + 1];
        Assert.Throws<ArgumentException>(() => KiteEncoder.Encode(ticks, new byte[16]));
    }

    [Fact]
    public void Random_ticks_in_every_mode_and_segment_round_trip_exactly()
    {
        var random = new Random(1234567);
        for (var message = 0; message < 2_000; message++)
        {
            var ticks = new Tick[random.Next(1, 40)];
            for (var i = 0; i < ticks.Length; i++)
            {
                ticks[i] = RandomTick(random);
            }

            var decoded = RoundTrip(ticks);

            for (var i = 0; i < ticks.Length; i++)
            {
                TickAssert.Equal(ticks[i], decoded[i], $"message {message} tick {i} ({ticks[i].Mode}, segment {ticks[i].Segment}):");
            }
        }
    }

    [Fact]
    public void Random_wire_messages_survive_decode_then_encode_byte_for_byte()
    {
        var random = new Random(7654321);
        var ticks = new Tick[64];
        for (var round = 0; round < 2_000; round++)
        {
            var packets = new byte[random.Next(0, 30)][];
            for (var i = 0; i < packets.Length; i++)
            {
                packets[i] = RandomPacket(random);
            }

            var message = KiteBytes.Message(packets);
            Assert.Equal(KiteDecodeError.None, KiteDecoder.TryDecode(message, ticks, 0, out var written));
            var encoded = new byte[message.Length];
            Assert.Equal(message.Length, KiteEncoder.Encode(ticks.AsSpan(0, written), encoded));
            Assert.Equal(message, encoded);
        }
    }

    [Fact]
    public void Encoding_allocates_nothing()
    {
        var tick = RandomTick(new Random(1));
        tick.Mode = TickMode.Full;
        var ticks = Enumerable.Repeat(tick, 20).ToArray();
        var buffer = new byte[KiteEncoder.MessageLength(ticks)];
        KiteEncoder.Encode(ticks, buffer);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            KiteEncoder.Encode(ticks, buffer);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static Tick[] RoundTrip(Tick[] ticks)
    {
        var buffer = new byte[KiteEncoder.MessageLength(ticks)];
        Assert.Equal(buffer.Length, KiteEncoder.Encode(ticks, buffer));
        var decoded = new Tick[ticks.Length];
        Assert.Equal(KiteDecodeError.None, KiteDecoder.TryDecode(buffer, decoded, ticks.Length == 0 ? 0 : ticks[0].ReceivedAtUs, out var written));
        Assert.Equal(ticks.Length, written);
        return decoded;
    }

    /// <summary>A tick as the decoder would produce it: prices on the segment's grid, only the mode's fields set,
    /// change and tradable derived. All ticks share one receive time, as ticks of one message do.</summary>
    private static Tick RandomTick(Random random)
    {
        var segment = (byte)(random.Next(4) == 0 ? random.Next(256) : random.Next(1, 10));
        var divisor = KiteSegments.PriceDivisor(segment);
        var tick = new Tick
        {
            InstrumentToken = ((uint)random.Next(1 << 24) << 8) | segment,
            Mode = (TickMode)random.Next(1, 4),
            Tradable = segment != KiteSegments.Indices,
            LastPrice = Raw(random) / divisor,
            ReceivedAtUs = 1_717_650_000_000_000,
        };
        if (tick.Mode == TickMode.Ltp)
        {
            return tick;
        }

        tick.Open = Raw(random) / divisor;
        tick.High = Raw(random) / divisor;
        tick.Low = Raw(random) / divisor;
        tick.Close = Raw(random) / divisor;
        tick.Change = tick.Close == 0 ? 0 : (tick.LastPrice - tick.Close) * 100 / tick.Close;
        if (!tick.Tradable)
        {
            tick.ExchangeTimestamp = tick.Mode == TickMode.Full ? Raw(random) : 0;
            return tick;
        }

        tick.LastTradedQuantity = Raw(random);
        tick.AverageTradedPrice = Raw(random) / divisor;
        tick.VolumeTraded = Raw(random);
        tick.TotalBuyQuantity = Raw(random);
        tick.TotalSellQuantity = Raw(random);
        if (tick.Mode == TickMode.Quote)
        {
            return tick;
        }

        tick.LastTradeTime = Raw(random);
        tick.Oi = Raw(random);
        tick.OiDayHigh = Raw(random);
        tick.OiDayLow = Raw(random);
        tick.ExchangeTimestamp = Raw(random);
        for (var level = 0; level < DepthSide.Levels; level++)
        {
            tick.Buy[level] = new DepthLevel { Quantity = Raw(random), Price = Raw(random) / divisor, Orders = random.Next(ushort.MaxValue + 1) };
            tick.Sell[level] = new DepthLevel { Quantity = Raw(random), Price = Raw(random) / divisor, Orders = random.Next(ushort.MaxValue + 1) };
        }

        return tick;
    }

    /// <summary>A well-formed packet of random kind and contents whose index change field and depth padding are
    /// what the encoder writes (net change in integer units, zero padding).</summary>
    private static byte[] RandomPacket(Random random)
    {
        var segment = (byte)random.Next(1, 10);
        var token = ((uint)random.Next(1 << 24) << 8) | segment;
        var kind = random.Next(3);
        if (kind == 0)
        {
            return KiteBytes.Ltp(token, Raw(random));
        }

        var full = kind == 2;
        if (segment == KiteSegments.Indices)
        {
            uint last = Raw(random), close = Raw(random);
            return full
                ? KiteBytes.IndexFull(token, last, Raw(random), Raw(random), Raw(random), close, unchecked(last - close), Raw(random))
                : KiteBytes.IndexQuote(token, last, Raw(random), Raw(random), Raw(random), close, unchecked(last - close));
        }

        var quote = KiteBytes.Quote(token, Raw(random), Raw(random), Raw(random), Raw(random), Raw(random), Raw(random),
            Raw(random), Raw(random), Raw(random), Raw(random));
        if (!full)
        {
            return quote;
        }

        var depth = new (uint, uint, ushort)[10];
        for (var i = 0; i < depth.Length; i++)
        {
            depth[i] = (Raw(random), Raw(random), (ushort)random.Next(ushort.MaxValue + 1));
        }

        return KiteBytes.Full(quote, Raw(random), Raw(random), Raw(random), Raw(random), Raw(random), depth);
    }

    /// <summary>A raw uint32 field: often 0 or an extreme, usually a typical or arbitrary value.</summary>
    private static uint Raw(Random random) => random.Next(8) switch
    {
        0 => 0,
        1 => uint.MaxValue,
        2 => (uint)random.Next(1, 100),
        3 => (uint)random.Next(1_000_000, 5_000_000),
        _ => (uint)random.NextInt64(0, 1L << 32),
    };
}
