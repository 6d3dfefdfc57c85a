namespace Ticker.Grains.Diagnostics;

/// <summary>Totals over all shards at one moment; two captures give rates and windowed percentiles.</summary>
public sealed class SiloTotals
{
    /// <summary>When captured.</summary>
    public DateTimeOffset CapturedAt { get; set; }

    /// <summary>Underlying ticks applied.</summary>
    public long UnderlyingTicks { get; set; }

    /// <summary>Option ticks applied.</summary>
    public long OptionTicks { get; set; }

    /// <summary>Ticks dropped by validation.</summary>
    public long InvalidTicks { get; set; }

    /// <summary>Ticks that failed processing.</summary>
    public long ProcessingErrors { get; set; }

    /// <summary>Successful IV + Greeks computations.</summary>
    public long GreeksComputed { get; set; }

    /// <summary>Undefined IV outcomes.</summary>
    public long IvFailures { get; set; }

    /// <summary>Batches written.</summary>
    public long BatchesFlushed { get; set; }

    /// <summary>Snapshots written.</summary>
    public long SnapshotsWritten { get; set; }

    /// <summary>Failed (retried) writes.</summary>
    public long FlushFailures { get; set; }

    /// <summary>Flushes by reason (window, size, idle, shutdown, disabled).</summary>
    public long[] FlushesByReason { get; } = new long[5];

    /// <summary>Processing latency histogram counts.</summary>
    public long[] ProcessingLatency { get; } = new long[LatencyHistogram.BucketCount];

    /// <summary>End-to-end latency histogram counts.</summary>
    public long[] EndToEndLatency { get; } = new long[LatencyHistogram.BucketCount];

    /// <summary>Flush latency histogram counts.</summary>
    public long[] FlushLatency { get; } = new long[LatencyHistogram.BucketCount];

    /// <summary>All ticks applied.</summary>
    public long TicksProcessed => UnderlyingTicks + OptionTicks;

    /// <summary>Histogram counts of <paramref name="current"/> minus <paramref name="previous"/> (a window).</summary>
    public static long[] Delta(long[] current, long[]? previous)
    {
        var delta = new long[current.Length];
        for (var i = 0; i < current.Length; i++)
        {
            delta[i] = current[i] - (previous?[i] ?? 0);
        }

        return delta;
    }
}
