namespace Ticker.Grains.Interfaces.Ticks;

/// <summary>Unix time in microseconds, the unit of <see cref="Tick.ReceivedAtUs"/> and every µs timestamp of the ticker.</summary>
public static class UnixTime
{
    /// <summary>Now, as Unix microseconds.</summary>
    public static long MicrosecondsNow(this TimeProvider time) => Microseconds(time.GetUtcNow());

    /// <summary><paramref name="at"/> as Unix microseconds.</summary>
    public static long Microseconds(DateTimeOffset at) => (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
}
