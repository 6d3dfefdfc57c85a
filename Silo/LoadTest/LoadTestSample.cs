namespace Ticker.Silo.LoadTest;

/// <summary>One per-second sample of a phase.</summary>
/// <param name="Seconds">Seconds since the feed started.</param>
/// <param name="TicksPerSecond">The silo's ticks/s (its /api/status).</param>
/// <param name="P50Ms">End-to-end P50 of the updates the subscriber saw in that second.</param>
/// <param name="P99Ms">End-to-end P99 of that second.</param>
/// <param name="MaxMs">End-to-end maximum of that second.</param>
/// <param name="RssMb">The silo's resident set.</param>
internal readonly record struct LoadTestSample(double Seconds, double TicksPerSecond, double P50Ms, double P99Ms, double MaxMs, double RssMb);
