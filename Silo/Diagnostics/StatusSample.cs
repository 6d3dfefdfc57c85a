namespace Ticker.Silo.Diagnostics;

/// <summary>One second of the silo's life, as the status line and the status page show it.</summary>
/// <param name="At">End of the second.</param>
/// <param name="TicksPerSecond">Ticks applied per second over the interval.</param>
/// <param name="OptionTicksPerSecond">Option ticks per second.</param>
/// <param name="SnapshotsPerSecond">Snapshots written per second.</param>
/// <param name="BatchesPerSecond">Batches written per second.</param>
/// <param name="ProcessingP50Us">Median processing latency in the interval, µs.</param>
/// <param name="ProcessingP99Us">99th percentile processing latency in the interval, µs.</param>
/// <param name="EndToEndP50Ms">Median receive-to-written latency in the interval, ms.</param>
/// <param name="EndToEndP99Ms">99th percentile receive-to-written latency in the interval, ms.</param>
/// <param name="TotalTicks">Ticks applied since start.</param>
/// <param name="InvalidTicks">Ticks dropped by validation since start.</param>
/// <param name="ProcessingErrors">Processing errors since start.</param>
/// <param name="BatchesFlushed">Batches written since start.</param>
/// <param name="FlushesByReason">Batches since start by reason (window, size, idle, shutdown, disabled).</param>
/// <param name="ActiveGrains">Grains active now.</param>
public sealed record StatusSample(
    DateTimeOffset At,
    double TicksPerSecond,
    double OptionTicksPerSecond,
    double SnapshotsPerSecond,
    double BatchesPerSecond,
    double ProcessingP50Us,
    double ProcessingP99Us,
    double EndToEndP50Ms,
    double EndToEndP99Ms,
    long TotalTicks,
    long InvalidTicks,
    long ProcessingErrors,
    long BatchesFlushed,
    long[] FlushesByReason,
    int ActiveGrains);
