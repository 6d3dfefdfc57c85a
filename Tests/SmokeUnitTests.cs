using Ticker.Grains.Interfaces.Ticks;

namespace Ticker.Tests;

public sealed class SmokeUnitTests
{
    [Fact]
    public void Segment_is_the_low_byte_of_the_token()
    {
        var tick = new Tick { InstrumentToken = 256265 };
        Assert.Equal(9, tick.Segment);
    }
}
