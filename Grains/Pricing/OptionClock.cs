namespace Ticker.Grains.Pricing;

/// <summary>
/// Time to expiry for Indian index options: expiry is at 15:30 India Standard Time (UTC+05:30, no daylight saving)
/// on the expiry date, and time is counted ACT/365 (actual elapsed time, 365 days to the year).
/// </summary>
public static class OptionClock
{
    /// <summary>Seconds in the ACT/365 year.</summary>
    public const double SecondsPerYear = 365.0 * SecondsPerDay;

    private const long SecondsPerDay = 86_400;
    private const long MicrosPerSecond = 1_000_000;

    // 15:30 IST is 10:00 UTC: the local close less the fixed +05:30 offset.
    private const long ExpirySecondsAfterUtcMidnight = ((15 * 3600) + (30 * 60)) - ((5 * 3600) + (30 * 60));

    private static readonly int UnixEpochDayNumber = new DateOnly(1970, 1, 1).DayNumber;

    /// <summary>The instant an option expiring on <paramref name="expiry"/> expires: 15:30 IST that day, as Unix seconds.</summary>
    /// <param name="expiry">The expiry date (a calendar date in India).</param>
    /// <returns>Seconds since 1970-01-01T00:00:00Z.</returns>
    public static long ExpiryUnixSeconds(DateOnly expiry)
        => ((long)(expiry.DayNumber - UnixEpochDayNumber) * SecondsPerDay) + ExpirySecondsAfterUtcMidnight;

    /// <summary>ACT/365 years from <paramref name="nowUnixMicros"/> to the expiry instant; zero or negative once expired.</summary>
    /// <param name="expiry">The expiry date.</param>
    /// <param name="nowUnixMicros">The current time in microseconds since the Unix epoch (from the injected <see cref="TimeProvider"/>).</param>
    /// <returns>Years to expiry, which may be ≤ 0.</returns>
    /// <remarks>Allocates nothing.</remarks>
    public static double YearsToExpiry(DateOnly expiry, long nowUnixMicros)
    {
        // In double, so that no pair of inputs can overflow; both are exact below 2^53 µs (about 285 years).
        var remainingMicros = ((double)ExpiryUnixSeconds(expiry) * MicrosPerSecond) - nowUnixMicros;
        return remainingMicros / (SecondsPerYear * MicrosPerSecond);
    }
}
