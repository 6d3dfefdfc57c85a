using Ticker.Client.Recording;
using Ticker.Grains.Interfaces.Instruments;
using Ticker.Grains.Interfaces.Ticks;
using Ticker.Protocol.Kite;
using Ticker.Tests.Infrastructure;

namespace Ticker.Tests.Client.Recording;

public sealed class KiteFrameTimesUnitTests
{
    [Fact]
    public void Exchange_timestamps_and_last_trade_times_move_and_nothing_else()
    {
        var at = TestMarket.Us(4, 0);
        var full = TestMarket.Tick(TestMarket.NiftyOption(InstrumentKind.Call, 24_000).InstrumentToken, 120.5, at, 750);
        full.LastTradeTime = (at / 1_000_000) - 3;
        var index = TestMarket.Tick(TestMarket.Nifty.InstrumentToken, 24_010.25, at);
        index.Buy = default;
        index.Sell = default;
        var quote = full;
        quote.Mode = TickMode.Quote;
        var ltp = full;
        ltp.Mode = TickMode.Ltp;
        Tick[] ticks = [full, index, quote, ltp];
        var frame = new byte[KiteEncoder.MessageLength(ticks)];
        KiteEncoder.Encode(ticks, frame);
        var original = Decode(frame);

        Assert.Equal(2, KiteFrameTimes.Shift(frame, 86_400));

        var shifted = Decode(frame);
        Assert.Equal(original[0].ExchangeTimestamp + 86_400, shifted[0].ExchangeTimestamp);
        Assert.Equal(original[0].LastTradeTime + 86_400, shifted[0].LastTradeTime);
        Assert.Equal(original[1].ExchangeTimestamp + 86_400, shifted[1].ExchangeTimestamp);
        for (var i = 0; i < ticks.Length; i++)
        {
            var expected = original[i];
            expected.ExchangeTimestamp = shifted[i].ExchangeTimestamp;
            expected.LastTradeTime = shifted[i].LastTradeTime;
            Protocol.Kite.TickAssert.Equal(expected, shifted[i], $"tick {i}");
        }
    }

    [Fact]
    public void Zero_times_stay_zero_and_malformed_frames_are_left_alone()
    {
        var tick = TestMarket.Tick(TestMarket.NiftyOption(InstrumentKind.Put, 24_000).InstrumentToken, 99, 0);
        var frame = new byte[KiteEncoder.MessageLength([tick])];
        KiteEncoder.Encode([tick], frame);

        KiteFrameTimes.Shift(frame, 1_000);

        Assert.Equal(0, Decode(frame)[0].ExchangeTimestamp);
        byte[] heartbeat = [0];
        Assert.Equal(0, KiteFrameTimes.Shift(heartbeat, 5));
        Assert.Equal(0, KiteFrameTimes.Shift(frame.AsSpan(0, 100), 5));
        Assert.Equal(0, KiteFrameTimes.Shift([], 5));
    }

    private static Tick[] Decode(byte[] frame)
    {
        var ticks = new Tick[KiteDecoder.ReadPacketCount(frame)];
        Assert.Equal(KiteDecodeError.None, KiteDecoder.TryDecode(frame, ticks, 0, out _));
        return ticks;
    }
}
