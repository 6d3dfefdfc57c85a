using Ticker.Grains.Pricing;

namespace Ticker.Tests.Grains.Pricing;

public sealed class OptionClockUnitTests
{
    private static readonly TimeSpan Ist = TimeSpan.FromMinutes(330);

    [Fact]
    public void Expiry_is_1530_india_time_on_the_expiry_date()
    {
        var expiry = new DateOnly(2025, 1, 30);
        var expected = new DateTimeOffset(2025, 1, 30, 15, 30, 0, Ist).ToUnixTimeSeconds();
        Assert.Equal(expected, OptionClock.ExpiryUnixSeconds(expiry));
        Assert.Equal(new DateTimeOffset(2025, 1, 30, 10, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), OptionClock.ExpiryUnixSeconds(expiry));
    }

    [Theory]
    [InlineData(2024, 3, 28)]   // northern-hemisphere DST changes near the end of March ...
    [InlineData(2024, 3, 31)]
    [InlineData(2024, 10, 27)]  // ... and October: India has none, so every date is 10:00 UTC.
    [InlineData(2024, 11, 3)]
    [InlineData(2024, 2, 29)]
    [InlineData(1970, 1, 1)]
    [InlineData(2099, 12, 31)]
    public void Expiry_is_always_1000_utc_because_india_has_no_daylight_saving(int year, int month, int day)
    {
        var seconds = OptionClock.ExpiryUnixSeconds(new DateOnly(year, month, day));
        var utc = DateTimeOffset.FromUnixTimeSeconds(seconds);
        Assert.Equal(new DateTimeOffset(year, month, day, 10, 0, 0, TimeSpan.Zero), utc);
    }

    [Fact]
    public void Years_to_expiry_is_actual_time_over_365_days()
    {
        var expiry = new DateOnly(2025, 3, 27);
        var expiryInstant = new DateTimeOffset(2025, 3, 27, 15, 30, 0, Ist);

        Assert.Equal(1.0 / 365, OptionClock.YearsToExpiry(expiry, Micros(expiryInstant.AddDays(-1))), 15);
        Assert.Equal(1.0 / (365 * 24), OptionClock.YearsToExpiry(expiry, Micros(expiryInstant.AddHours(-1))), 15);
        Assert.Equal(7.0 / 365, OptionClock.YearsToExpiry(expiry, Micros(expiryInstant.AddDays(-7))), 15);

        // A leap year still counts 366 actual days as 366/365 years.
        var leapExpiry = new DateOnly(2024, 12, 31);
        var leapStart = new DateTimeOffset(2023, 12, 31, 15, 30, 0, Ist);
        Assert.Equal(366.0 / 365, OptionClock.YearsToExpiry(leapExpiry, Micros(leapStart)), 14);
    }

    [Fact]
    public void Years_to_expiry_reaches_zero_at_1530_and_goes_negative_after()
    {
        var expiry = new DateOnly(2025, 3, 27);
        var expiryInstant = new DateTimeOffset(2025, 3, 27, 15, 30, 0, Ist);
        Assert.Equal(0.0, OptionClock.YearsToExpiry(expiry, Micros(expiryInstant)));
        Assert.True(OptionClock.YearsToExpiry(expiry, Micros(expiryInstant) + 1) < 0);
        Assert.True(OptionClock.YearsToExpiry(expiry, Micros(expiryInstant) - 1) > 0);

        // 15:29:59 on the expiry day is one second before expiry.
        var oneSecondBefore = new DateTimeOffset(2025, 3, 27, 15, 29, 59, Ist);
        Assert.Equal(1.0 / OptionClock.SecondsPerYear, OptionClock.YearsToExpiry(expiry, Micros(oneSecondBefore)), 1e-18);
    }

    private static long Micros(DateTimeOffset instant) => instant.ToUnixTimeMilliseconds() * 1000;
}
