using Ticker.Grains.Instruments;

namespace Ticker.Tests.Grains.Instruments;

public sealed class IndiaTimeUnitTests
{
    [Theory]
    [InlineData(0L)]
    [InlineData(1_763_663_399L)] // 2025-11-20T18:29:59Z = 23:59:59 IST
    [InlineData(1_763_663_400L)] // 2025-11-20T18:30:00Z = 00:00 IST on the 21st
    [InlineData(1_763_700_000L)]
    [InlineData(-1L)]
    [InlineData(-86_400L * 400)]
    public void Start_of_day_and_date_agree_with_the_framework(long unixSeconds)
    {
        var local = DateTimeOffset.FromUnixTimeSeconds(unixSeconds).ToOffset(IndiaTime.Offset);
        var midnight = new DateTimeOffset(local.Date, IndiaTime.Offset).ToUnixTimeSeconds();

        Assert.Equal(DateOnly.FromDateTime(local.DateTime), IndiaTime.DateOf(unixSeconds));
        Assert.Equal(midnight, IndiaTime.StartOfDayUnixSeconds(unixSeconds));
        Assert.Equal(midnight, IndiaTime.StartOfDayUnixSeconds(IndiaTime.DateOf(unixSeconds)));
    }
}
