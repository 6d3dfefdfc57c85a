namespace Ticker.Silo.LoadTest;

/// <summary>The scenarios and their phases per <see cref="LoadTestMode"/>.</summary>
internal static class LoadTestScenarios
{
    /// <summary>Scenario names in run order.</summary>
    public static readonly string[] Names = ["baseline", "scale", "burst", "sustained", "greeks", "batching", "latency"];

    /// <summary>
    /// The phases of <paramref name="scenario"/>. Quick mode (the test suite's smoke run) keeps one phase per scenario,
    /// the one marked <see cref="LoadTestPhase.Quick"/>, since every phase starts its own silo and feed processes.
    /// </summary>
    public static LoadTestPhase[] Phases(string scenario, LoadTestMode mode)
    {
        var phases = AllPhases(scenario, mode);
        return mode == LoadTestMode.Quick && phases.Length > 1 ? Array.FindAll(phases, static p => p.Quick) : phases;
    }

    private static LoadTestPhase[] AllPhases(string scenario, LoadTestMode mode)
    {
        double D(double full, double normal, double quick) => mode switch { LoadTestMode.Full => full, LoadTestMode.Quick => quick, _ => normal };
        string[] conflate = ["--conflate"];
        return scenario switch
        {
            "baseline" => [new("baseline.paced", 1000, 1000, D(60, 20, 2), conflate, Quick: true), new("baseline.max", 1000, 0, D(20, 10, 1), conflate)],
            "scale" => [new("scale", 5000, 0, D(30, 10, 1), conflate)],
            "burst" => [new("burst", 1000, 10_000, 2, conflate, Ticks: 10_000)],
            "sustained" => [new("sustained", 2000, 2000, D(600, 60, 2), conflate)],
            "greeks" => [new("greeks.on", 1000, 20_000, D(60, 15, 1), conflate), new("greeks.off", 1000, 20_000, D(60, 15, 1), conflate, Greeks: false, Quick: true)],
            "batching" =>
            [
                // A fixed number of ticks, sized so that even the unbatched silo drains them: throughput is ticks
                // over the time from first update to an empty backlog.
                new("batching.off", 1000, 0, D(120, 60, 10), ["--no-batching"], Ticks: (long)D(1_000_000, 200_000, 5_000), Quick: true),
                new("batching.on", 1000, 0, D(120, 60, 10), [], Ticks: (long)D(10_000_000, 2_000_000, 100_000)),
                new("batching.conflate", 1000, 0, D(120, 60, 10), conflate, Ticks: (long)D(10_000_000, 2_000_000, 100_000)),
            ],
            "latency" => [new("latency.10k", 5000, 10_000, D(60, 15, 1), conflate, Quick: true), new("latency.100k", 5000, 100_000, D(60, 15, 1), conflate)],
            _ => throw new ArgumentException($"unknown scenario '{scenario}' (one of {string.Join(", ", Names)})", nameof(scenario)),
        };
    }
}
