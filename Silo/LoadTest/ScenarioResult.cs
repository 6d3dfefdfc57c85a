namespace Ticker.Silo.LoadTest;

/// <summary>The figures of one scenario phase (one row of summary.json).</summary>
internal sealed class ScenarioResult
{
    /// <summary>Scenario and phase, e.g. <c>baseline.paced</c>.</summary>
    public required string Scenario { get; init; }

    /// <summary>Σ manifest ticks.</summary>
    public long TicksOffered { get; set; }

    /// <summary>Σ <c>ticks</c> of the manifest instruments' snapshot hashes.</summary>
    public long TicksAccounted { get; set; }

    /// <summary>Ticks accounted per second, from the first update to drained.</summary>
    public double TicksPerSecond { get; set; }

    /// <summary>End-to-end P50 in ms.</summary>
    public double P50Ms { get; set; }

    /// <summary>End-to-end P95 in ms.</summary>
    public double P95Ms { get; set; }

    /// <summary>End-to-end P99 in ms.</summary>
    public double P99Ms { get; set; }

    /// <summary>End-to-end maximum in ms.</summary>
    public double MaxMs { get; set; }

    /// <summary>The silo's peak resident set in MB.</summary>
    public double PeakRssMb { get; set; }

    /// <summary>Seconds from the feed's exit until every shard's backlog was 0.</summary>
    public double DrainSeconds { get; set; }

    /// <summary>Scenario-specific figures (CPU seconds per process, drift, ratios, …).</summary>
    public Dictionary<string, double> Extra { get; } = new(StringComparer.Ordinal);

    /// <summary>Free-text notes (silo flags, bottleneck hints).</summary>
    public Dictionary<string, string> Notes { get; } = new(StringComparer.Ordinal);

    /// <summary>Per-second samples.</summary>
    public List<LoadTestSample> Samples { get; } = [];

    /// <summary>Whether every offered tick was accounted.</summary>
    public bool Lossless => TicksOffered > 0 && TicksAccounted == TicksOffered;
}
