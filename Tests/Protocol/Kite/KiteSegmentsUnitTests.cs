using Ticker.Protocol.Kite;

namespace Ticker.Tests.Protocol.Kite;

public sealed class KiteSegmentsUnitTests
{
    [Theory]
    [InlineData(1, 100.0)]
    [InlineData(2, 100.0)]
    [InlineData(3, 10_000_000.0)]
    [InlineData(4, 100.0)]
    [InlineData(5, 100.0)]
    [InlineData(6, 10_000.0)]
    [InlineData(7, 100.0)]
    [InlineData(8, 100.0)]
    [InlineData(9, 100.0)]
    [InlineData(0, 100.0)]
    [InlineData(255, 100.0)]
    public void PriceDivisor_is_100_except_for_the_currency_segments(byte segment, double divisor) =>
        Assert.Equal(divisor, KiteSegments.PriceDivisor(segment));

    [Fact]
    public void Segment_ids_match_the_protocol_table()
    {
        Assert.Equal(
            new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 },
            new[] { KiteSegments.NseCm, KiteSegments.NseFo, KiteSegments.NseCd, KiteSegments.BseCm, KiteSegments.BseFo,
                KiteSegments.BseCd, KiteSegments.McxFo, KiteSegments.McxSx, KiteSegments.Indices });
    }

    [Fact]
    public void The_segment_is_the_low_byte_of_the_token_and_only_indices_are_not_tradable()
    {
        Assert.Equal(KiteSegments.Indices, KiteSegments.Of(256265));
        Assert.Equal(KiteSegments.NseFo, KiteSegments.Of(0xFFFF_FF02));
        Assert.False(KiteSegments.IsTradable(KiteSegments.Indices));
        for (var segment = 0; segment < 256; segment++)
        {
            Assert.Equal(segment != 9, KiteSegments.IsTradable((byte)segment));
        }
    }
}
