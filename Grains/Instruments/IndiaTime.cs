namespace Ticker.Grains.Instruments;

/// <summary>
/// India Standard Time: UTC+05:30 all year (India has no daylight saving), so a fixed offset is exact and needs no
/// time-zone database on the machine.
/// </summary>
public static class IndiaTime
{
    /// <summary>The offset of India Standard Time from UTC.</summary>
    public static TimeSpan Offset { get; } = new(5, 30, 0);

    private const long OffsetSeconds = (5 * 60 + 30) * 60;
    private const long SecondsPerDay = 86_400;

    /// <summary><see cref="DateOnly.DayNumber"/> of 1970-01-01.</summary>
    private const int UnixEpochDayNumber = 719_162;

    /// <summary>The IST calendar date of an instant.</summary>
    /// <param name="utc">The instant.</param>
    public static DateOnly DateOf(DateTimeOffset utc) => DateOnly.FromDateTime(utc.ToOffset(Offset).DateTime);

    /// <summary>The IST calendar date of a Unix time.</summary>
    /// <param name="unixSeconds">Seconds since 1970-01-01T00:00Z.</param>
    /// <remarks>Allocates nothing.</remarks>
    public static DateOnly DateOf(long unixSeconds) =>
        DateOnly.FromDayNumber(UnixEpochDayNumber + (int)FloorDiv(unixSeconds + OffsetSeconds, SecondsPerDay));

    /// <summary>Unix seconds of 00:00 IST on a date.</summary>
    /// <param name="date">The IST date.</param>
    public static long StartOfDayUnixSeconds(DateOnly date) =>
        ((long)(date.DayNumber - UnixEpochDayNumber) * SecondsPerDay) - OffsetSeconds;

    /// <summary>Unix seconds of 00:00 IST on the IST date that contains <paramref name="unixSeconds"/>.</summary>
    /// <param name="unixSeconds">Seconds since 1970-01-01T00:00Z.</param>
    /// <remarks>Allocates nothing.</remarks>
    public static long StartOfDayUnixSeconds(long unixSeconds)
    {
        return (FloorDiv(unixSeconds + OffsetSeconds, SecondsPerDay) * SecondsPerDay) - OffsetSeconds;
    }

    private static long FloorDiv(long value, long divisor)
    {
        var quotient = value / divisor;
        return value % divisor < 0 ? quotient - 1 : quotient;
    }
}
