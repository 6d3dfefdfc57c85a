using Ticker.Grains.Interfaces.Ticks;
using Ticker.Protocol.Kite;

namespace Ticker.Tests.Protocol.Kite;

public sealed class KiteDecoderUnitTests
{
    private const long ReceivedAt = 1_717_650_000_123_456;
    private const uint NiftyIndex = 256265;          // segment 9
    private const uint NiftyOption = (12345u << 8) | 2; // segment 2 (nse_fo)

    [Fact]
    public void A_one_byte_message_is_a_heartbeat_and_nothing_else_is()
    {
        Assert.True(KiteDecoder.IsHeartbeat([0x00]));
        Assert.True(KiteDecoder.IsHeartbeat([0xFF]));
        Assert.False(KiteDecoder.IsHeartbeat([]));
        Assert.False(KiteDecoder.IsHeartbeat([0x00, 0x00]));
    }

    [Fact]
    public void A_heartbeat_given_to_TryDecode_is_a_truncated_header()
    {
        var error = Decode([0x00], out _, out var written);
        Assert.Equal(KiteDecodeError.TruncatedHeader, error);
        Assert.Equal(0, written);
    }

    [Fact]
    public void ReadPacketCount_reads_a_big_endian_uint16_or_minus_one()
    {
        Assert.Equal(-1, KiteDecoder.ReadPacketCount([]));
        Assert.Equal(-1, KiteDecoder.ReadPacketCount([0x01]));
        Assert.Equal(0x0102, KiteDecoder.ReadPacketCount([0x01, 0x02]));
        Assert.Equal(65535, KiteDecoder.ReadPacketCount([0xFF, 0xFF, 0x00]));
    }

    [Fact]
    public void A_message_with_no_packets_decodes_to_nothing()
    {
        Assert.Equal(KiteDecodeError.None, Decode([0x00, 0x00], out _, out var written));
        Assert.Equal(0, written);
    }

    [Fact]
    public void Ltp_packet_carries_token_and_last_price_and_clears_everything_else()
    {
        var error = Decode(KiteBytes.Message(KiteBytes.Ltp(NiftyOption, 2_401_250)), out var ticks, out var written);

        Assert.Equal(KiteDecodeError.None, error);
        Assert.Equal(1, written);
        var expected = new Tick
        {
            InstrumentToken = NiftyOption,
            Mode = TickMode.Ltp,
            Tradable = true,
            LastPrice = 24012.5,
            ReceivedAtUs = ReceivedAt,
        };
        TickAssert.Equal(expected, ticks[0]);
    }

    [Fact]
    public void Index_quote_reads_ohlc_in_index_order_and_computes_change_ignoring_the_raw_field()
    {
        var packet = KiteBytes.IndexQuote(NiftyIndex, last: 2_412_000, high: 2_430_000, low: 2_380_000, open: 2_390_000,
            close: 2_400_000, rawChange: 0xDEADBEEF);

        Assert.Equal(KiteDecodeError.None, Decode(KiteBytes.Message(packet), out var ticks, out _));

        var expected = new Tick
        {
            InstrumentToken = NiftyIndex,
            Mode = TickMode.Quote,
            Tradable = false,
            LastPrice = 24120,
            High = 24300,
            Low = 23800,
            Open = 23900,
            Close = 24000,
            Change = (24120.0 - 24000.0) * 100 / 24000.0,
            ReceivedAtUs = ReceivedAt,
        };
        TickAssert.Equal(expected, ticks[0]);
        Assert.Equal(0.5, ticks[0].Change, 12);
    }

    [Fact]
    public void Index_full_adds_the_exchange_timestamp()
    {
        var packet = KiteBytes.IndexFull(NiftyIndex, 2_412_000, 2_430_000, 2_380_000, 2_390_000, 2_400_000, 12_000, 1_717_650_005);

        Assert.Equal(KiteDecodeError.None, Decode(KiteBytes.Message(packet), out var ticks, out _));

        Assert.Equal(TickMode.Full, ticks[0].Mode);
        Assert.False(ticks[0].Tradable);
        Assert.Equal(24300, ticks[0].High);
        Assert.Equal(23800, ticks[0].Low);
        Assert.Equal(23900, ticks[0].Open);
        Assert.Equal(24000, ticks[0].Close);
        Assert.Equal(1_717_650_005, ticks[0].ExchangeTimestamp);
        Assert.Equal(0, ticks[0].LastTradeTime);
        TickAssert.NoDepth(ticks[0]);
    }

    [Fact]
    public void Tradable_quote_reads_every_field_in_wire_order()
    {
        var packet = KiteBytes.Quote(NiftyOption, last: 16_720, lastQty: 50, avgPrice: 22_276, volume: 650_625,
            buyQty: 36_675, sellQty: 43_175, open: 26_000, high: 32_870, low: 16_540, close: 33_025);

        Assert.Equal(KiteDecodeError.None, Decode(KiteBytes.Message(packet), out var ticks, out _));

        var expected = new Tick
        {
            InstrumentToken = NiftyOption,
            Mode = TickMode.Quote,
            Tradable = true,
            LastPrice = 167.2,
            LastTradedQuantity = 50,
            AverageTradedPrice = 222.76,
            VolumeTraded = 650_625,
            TotalBuyQuantity = 36_675,
            TotalSellQuantity = 43_175,
            Open = 260,
            High = 328.7,
            Low = 165.4,
            Close = 330.25,
            Change = (167.2 - 330.25) * 100 / 330.25,
            ReceivedAtUs = ReceivedAt,
        };
        TickAssert.Equal(expected, ticks[0]);
        Assert.Equal(-49.37168811506435, ticks[0].Change, 12);
    }

    [Fact]
    public void Full_packet_reads_timestamps_oi_and_five_levels_of_depth_per_side()
    {
        var packet = FullPacket(NiftyOption, out var expected);

        Assert.Equal(KiteDecodeError.None, Decode(KiteBytes.Message(packet), out var ticks, out _));

        TickAssert.Equal(expected, ticks[0]);
    }

    [Fact]
    public void Integers_are_read_unsigned_and_orders_as_uint16_ignoring_padding()
    {
        var depth = Enumerable.Repeat((0xFFFF_FFFFu, 0x8000_0000u, (ushort)0xFFFF), 10).ToArray();
        var quote = KiteBytes.Quote(NiftyOption, 0xFFFF_FFFF, 0x8000_0000, 1, 0xFFFF_FFFF, 2, 3, 4, 5, 6, 7);
        var packet = KiteBytes.Full(quote, 0xFFFF_FFFF, 0x8000_0001, 8, 9, 0xF000_0000, depth, padding: 0xFFFF);

        Assert.Equal(KiteDecodeError.None, Decode(KiteBytes.Message(packet), out var ticks, out _));

        Assert.Equal(4294967295 / 100.0, ticks[0].LastPrice);
        Assert.Equal(2147483648, ticks[0].LastTradedQuantity);
        Assert.Equal(4294967295, ticks[0].VolumeTraded);
        Assert.Equal(4294967295, ticks[0].LastTradeTime);
        Assert.Equal(2147483649, ticks[0].Oi);
        Assert.Equal(4026531840, ticks[0].ExchangeTimestamp);
        for (var level = 0; level < DepthSide.Levels; level++)
        {
            Assert.Equal(4294967295, ticks[0].Buy[level].Quantity);
            Assert.Equal(21474836.48, ticks[0].Sell[level].Price);
            Assert.Equal(65535, ticks[0].Buy[level].Orders);
            Assert.Equal(65535, ticks[0].Sell[level].Orders);
        }
    }

    [Theory]
    [InlineData(KiteSegments.NseCm, 100.0)]
    [InlineData(KiteSegments.NseFo, 100.0)]
    [InlineData(KiteSegments.NseCd, 10_000_000.0)]
    [InlineData(KiteSegments.BseCm, 100.0)]
    [InlineData(KiteSegments.BseFo, 100.0)]
    [InlineData(KiteSegments.BseCd, 10_000.0)]
    [InlineData(KiteSegments.McxFo, 100.0)]
    [InlineData(KiteSegments.McxSx, 100.0)]
    [InlineData(KiteSegments.Indices, 100.0)]
    [InlineData(0, 100.0)]
    [InlineData(200, 100.0)]
    public void Every_price_is_divided_by_the_segments_divisor(byte segment, double divisor)
    {
        var token = (777u << 8) | segment;
        const uint Raw = 834_567_891;
        var depth = Enumerable.Range(0, 10).Select(i => (1u, Raw + (uint)i, (ushort)1)).ToArray();
        var quote = KiteBytes.Quote(token, Raw, 1, Raw + 1, 1, 1, 1, Raw + 2, Raw + 3, Raw + 4, Raw + 5);
        var message = KiteBytes.Message(
            KiteBytes.Ltp(token, Raw),
            KiteBytes.IndexFull(token, Raw, Raw + 1, Raw + 2, Raw + 3, Raw + 4, 0, 1),
            KiteBytes.Full(quote, 1, 1, 1, 1, 1, depth));

        Assert.Equal(KiteDecodeError.None, Decode(message, out var ticks, out var written));
        Assert.Equal(3, written);

        Assert.Equal(Raw / divisor, ticks[0].LastPrice);
        Assert.Equal((Raw + 1) / divisor, ticks[1].High);
        Assert.Equal((Raw + 4) / divisor, ticks[1].Close);
        Assert.Equal((Raw + 1) / divisor, ticks[2].AverageTradedPrice);
        Assert.Equal((Raw + 5) / divisor, ticks[2].Close);
        Assert.Equal((Raw + 9) / divisor, ticks[2].Sell[4].Price);
        Assert.Equal(1, ticks[2].Buy[0].Quantity);
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(3, true)]
    [InlineData(6, true)]
    [InlineData(8, true)]
    [InlineData(9, false)]
    [InlineData(10, true)]
    public void Only_segment_nine_is_not_tradable(byte segment, bool tradable)
    {
        var token = (42u << 8) | segment;
        var message = KiteBytes.Message(KiteBytes.Ltp(token, 1), KiteBytes.IndexQuote(token, 1, 1, 1, 1, 1));

        Assert.Equal(KiteDecodeError.None, Decode(message, out var ticks, out _));

        Assert.Equal(tradable, ticks[0].Tradable);
        Assert.Equal(tradable, ticks[1].Tradable);
    }

    [Fact]
    public void Change_is_zero_when_close_is_zero_and_negative_below_close()
    {
        var message = KiteBytes.Message(
            KiteBytes.IndexQuote(NiftyIndex, last: 2_400_000, high: 0, low: 0, open: 0, close: 0),
            KiteBytes.Quote(NiftyOption, 100, 0, 0, 0, 0, 0, 0, 0, 0, close: 0),
            KiteBytes.IndexQuote(NiftyIndex, last: 1_980_000, high: 0, low: 0, open: 0, close: 2_000_000));

        Assert.Equal(KiteDecodeError.None, Decode(message, out var ticks, out _));

        Assert.Equal(0, ticks[0].Change);
        Assert.Equal(0, ticks[1].Change);
        Assert.Equal(-1, ticks[2].Change, 12);
    }

    [Fact]
    public void A_multi_packet_message_decodes_every_kind_in_order()
    {
        var full = FullPacket(NiftyOption, out var expectedFull);
        var message = KiteBytes.Message(
            KiteBytes.Ltp(NiftyIndex, 2_400_000),
            full,
            KiteBytes.IndexQuote(NiftyIndex, 1, 2, 3, 4, 5),
            KiteBytes.Quote(NiftyOption + 256, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
            KiteBytes.IndexFull(NiftyIndex, 1, 2, 3, 4, 5, 6, 7));

        Assert.Equal(KiteDecodeError.None, Decode(message, out var ticks, out var written));

        Assert.Equal(5, written);
        Assert.Equal(
            [TickMode.Ltp, TickMode.Full, TickMode.Quote, TickMode.Quote, TickMode.Full],
            ticks.Take(5).Select(t => t.Mode).ToArray());
        TickAssert.Equal(expectedFull, ticks[1]);
        Assert.Equal(NiftyOption + 256, ticks[3].InstrumentToken);
        Assert.Equal(5, ticks[3].TotalBuyQuantity);
        Assert.Equal(0.1, ticks[3].Close);
        Assert.Equal(7, ticks[4].ExchangeTimestamp);
        Assert.All(ticks.Take(5), t => Assert.Equal(ReceivedAt, t.ReceivedAtUs));
    }

    [Fact]
    public void Decoding_overwrites_stale_fields_in_the_destination()
    {
        var full = FullPacket(NiftyOption, out _);
        var ticks = new Tick[1];
        Assert.Equal(KiteDecodeError.None, KiteDecoder.TryDecode(KiteBytes.Message(full), ticks, 1, out _));

        Assert.Equal(KiteDecodeError.None,
            KiteDecoder.TryDecode(KiteBytes.Message(KiteBytes.Ltp(NiftyIndex, 100)), ticks, 2, out _));

        TickAssert.Equal(
            new Tick { InstrumentToken = NiftyIndex, Mode = TickMode.Ltp, LastPrice = 1, ReceivedAtUs = 2 },
            ticks[0]);
    }

    [Fact]
    public void Empty_message_is_Empty()
    {
        Assert.Equal(KiteDecodeError.Empty, Decode([], out _, out var written));
        Assert.Equal(0, written);
    }

    [Fact]
    public void A_count_larger_than_the_packets_present_is_a_truncated_packet_length_after_the_valid_ones()
    {
        var message = KiteBytes.Message(KiteBytes.Ltp(NiftyIndex, 100), KiteBytes.Ltp(NiftyOption, 200));
        message[1] = 3;

        Assert.Equal(KiteDecodeError.TruncatedPacketLength, Decode(message, out var ticks, out var written));

        Assert.Equal(2, written);
        Assert.Equal(1, ticks[0].LastPrice);
        Assert.Equal(2, ticks[1].LastPrice);
    }

    [Fact]
    public void A_packet_length_running_past_the_end_is_a_truncated_packet()
    {
        var message = KiteBytes.Message(KiteBytes.Ltp(NiftyIndex, 100), KiteBytes.Quote(NiftyOption, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10));

        Assert.Equal(KiteDecodeError.TruncatedPacket, Decode(message.AsSpan(0, message.Length - 1).ToArray(), out var ticks, out var written));

        Assert.Equal(1, written);
        Assert.Equal(NiftyIndex, ticks[0].InstrumentToken);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(9)]
    [InlineData(30)]
    [InlineData(183)]
    [InlineData(185)]
    [InlineData(492)]
    public void An_unknown_packet_length_is_reported_as_such(int length)
    {
        var message = KiteBytes.Message(KiteBytes.Ltp(NiftyIndex, 100), new byte[length]);

        Assert.Equal(KiteDecodeError.UnknownPacketLength, Decode(message, out _, out var written));

        Assert.Equal(1, written);
    }

    [Fact]
    public void Bytes_after_the_announced_packets_are_trailing_bytes()
    {
        var valid = KiteBytes.Message(KiteBytes.Ltp(NiftyIndex, 100), KiteBytes.Ltp(NiftyOption, 200));
        byte[] message = [.. valid, 0x00];

        Assert.Equal(KiteDecodeError.TrailingBytes, Decode(message, out _, out var written));

        // The packets themselves were whole and are reported.
        Assert.Equal(2, written);
    }

    [Fact]
    public void More_packets_than_the_destination_holds_is_destination_too_small_after_filling_it()
    {
        var message = KiteBytes.Message(KiteBytes.Ltp(NiftyIndex, 100), KiteBytes.Ltp(NiftyOption, 200), KiteBytes.Ltp(NiftyIndex, 300));
        var ticks = new Tick[2];

        Assert.Equal(KiteDecodeError.DestinationTooSmall, KiteDecoder.TryDecode(message, ticks, ReceivedAt, out var written));

        Assert.Equal(2, written);
        Assert.Equal(2, ticks[1].LastPrice);
        Assert.Equal(KiteDecodeError.DestinationTooSmall, KiteDecoder.TryDecode(message, [], ReceivedAt, out written));
        Assert.Equal(0, written);
    }

    [Fact]
    public void Every_truncation_of_every_valid_message_is_an_error_never_a_throw()
    {
        foreach (var message in ValidMessages())
        {
            var packets = KiteDecoder.ReadPacketCount(message);
            for (var cut = 0; cut < message.Length; cut++)
            {
                var error = Decode(message.AsSpan(0, cut).ToArray(), out _, out var written);
                Assert.NotEqual(KiteDecodeError.None, error);
                Assert.InRange(written, 0, packets - 1);
            }

            Assert.Equal(KiteDecodeError.None, Decode(message, out _, out var all));
            Assert.Equal(packets, all);
        }
    }

    [Fact]
    public void Garbage_never_throws_and_written_never_exceeds_the_destination()
    {
        var random = new Random(20240606);
        var ticks = new Tick[8];
        var errors = new HashSet<KiteDecodeError>();
        for (var i = 0; i < 20_000; i++)
        {
            var message = new byte[random.Next(0, 300)];
            random.NextBytes(message);
            if (i % 2 == 0 && message.Length >= 2)
            {
                // Small counts and known lengths reach deeper into the decoder than uniform noise does.
                message[0] = 0;
                message[1] = (byte)random.Next(0, 4);
                if (message.Length >= 4)
                {
                    message[2] = 0;
                    message[3] = (byte)(new[] { 8, 28, 32, 44, 184 })[random.Next(5)];
                }
            }

            var error = KiteDecoder.TryDecode(message, ticks, ReceivedAt, out var written);
            errors.Add(error);
            Assert.InRange(written, 0, ticks.Length);
            if (error == KiteDecodeError.None)
            {
                Assert.Equal(KiteDecoder.ReadPacketCount(message), written);
            }
        }

        // The corpus reached several distinct outcomes, not one early exit.
        Assert.Superset(
            new HashSet<KiteDecodeError> { KiteDecodeError.Empty, KiteDecodeError.TruncatedHeader, KiteDecodeError.TruncatedPacket,
                KiteDecodeError.UnknownPacketLength, KiteDecodeError.TrailingBytes },
            errors);
    }

    [Fact]
    public void TryDecodePacket_rejects_unknown_lengths_without_touching_the_tick()
    {
        var tick = new Tick { InstrumentToken = 5 };
        Assert.False(KiteDecoder.TryDecodePacket(new byte[10], ref tick, 1));
        Assert.Equal(5u, tick.InstrumentToken);
        Assert.True(KiteDecoder.TryDecodePacket(KiteBytes.Ltp(NiftyIndex, 100), ref tick, 1));
        Assert.Equal(NiftyIndex, tick.InstrumentToken);
    }

    [Fact]
    public void Decoding_allocates_nothing()
    {
        var message = KiteBytes.Message([.. Enumerable.Range(0, 20).Select(i => FullPacket(NiftyOption, out _))]);
        var ticks = new Tick[20];
        KiteDecoder.TryDecode(message, ticks, ReceivedAt, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            KiteDecoder.TryDecode(message, ticks, ReceivedAt, out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>A full packet with distinct values everywhere, and the tick it must decode to.</summary>
    internal static byte[] FullPacket(uint token, out Tick expected)
    {
        var quote = KiteBytes.Quote(token, 16_720, 50, 22_276, 650_625, 36_675, 43_175, 26_000, 32_870, 16_540, 33_025);
        var depth = new (uint, uint, ushort)[10];
        for (var i = 0; i < 10; i++)
        {
            depth[i] = ((uint)(100 + i), (uint)(16_700 + (i * 5)), (ushort)(i + 1));
        }

        expected = new Tick
        {
            InstrumentToken = token,
            Mode = TickMode.Full,
            Tradable = KiteSegments.IsTradable(KiteSegments.Of(token)),
            LastPrice = 167.2,
            LastTradedQuantity = 50,
            AverageTradedPrice = 222.76,
            VolumeTraded = 650_625,
            TotalBuyQuantity = 36_675,
            TotalSellQuantity = 43_175,
            Open = 260,
            High = 328.7,
            Low = 165.4,
            Close = 330.25,
            Change = (167.2 - 330.25) * 100 / 330.25,
            LastTradeTime = 1_717_650_002,
            Oi = 114_500,
            OiDayHigh = 124_350,
            OiDayLow = 49_275,
            ExchangeTimestamp = 1_717_650_005,
            ReceivedAtUs = ReceivedAt,
        };
        for (var level = 0; level < DepthSide.Levels; level++)
        {
            expected.Buy[level] = new DepthLevel { Quantity = 100 + level, Price = (16_700 + (level * 5)) / 100.0, Orders = level + 1 };
            var sell = level + DepthSide.Levels;
            expected.Sell[level] = new DepthLevel { Quantity = 100 + sell, Price = (16_700 + (sell * 5)) / 100.0, Orders = sell + 1 };
        }

        return KiteBytes.Full(quote, 1_717_650_002, 114_500, 124_350, 49_275, 1_717_650_005, depth, padding: 0xABCD);
    }

    /// <summary>Valid messages of every kind, for truncation sweeps.</summary>
    internal static IEnumerable<byte[]> ValidMessages()
    {
        yield return KiteBytes.Message(KiteBytes.Ltp(NiftyIndex, 2_400_000));
        yield return KiteBytes.Message(KiteBytes.IndexQuote(NiftyIndex, 1, 2, 3, 4, 5));
        yield return KiteBytes.Message(KiteBytes.IndexFull(NiftyIndex, 1, 2, 3, 4, 5, 6, 7));
        yield return KiteBytes.Message(KiteBytes.Quote(NiftyOption, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
        yield return KiteBytes.Message(FullPacket(NiftyOption, out _));
        yield return KiteBytes.Message(
            KiteBytes.Ltp(NiftyOption, 1),
            KiteBytes.IndexQuote(NiftyIndex, 1, 2, 3, 4, 5),
            FullPacket(NiftyOption, out _),
            KiteBytes.IndexFull(NiftyIndex, 1, 2, 3, 4, 5, 6, 7),
            KiteBytes.Quote(NiftyOption, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
    }

    private static KiteDecodeError Decode(byte[] message, out Tick[] ticks, out int written)
    {
        ticks = new Tick[16];
        for (var i = 0; i < ticks.Length; i++)
        {
            // Stale values everywhere, so a field the decoder forgets to clear shows up.
            ticks[i] = StaleTick();
        }

        return KiteDecoder.TryDecode(message, ticks, ReceivedAt, out written);
    }

    private static Tick StaleTick()
    {
        var tick = new Tick
        {
            InstrumentToken = 999, Mode = (TickMode)77, Tradable = true, LastPrice = -1, LastTradedQuantity = -1, AverageTradedPrice = -1,
            VolumeTraded = -1, TotalBuyQuantity = -1, TotalSellQuantity = -1, Open = -1, High = -1, Low = -1, Close = -1, Change = -1,
            LastTradeTime = -1, Oi = -1, OiDayHigh = -1, OiDayLow = -1, ExchangeTimestamp = -1, ReceivedAtUs = -1,
        };
        for (var level = 0; level < DepthSide.Levels; level++)
        {
            tick.Buy[level] = new DepthLevel { Quantity = -1, Price = -1, Orders = -1 };
            tick.Sell[level] = new DepthLevel { Quantity = -1, Price = -1, Orders = -1 };
        }

        return tick;
    }
}
