using Ticker.Silo.LoadTest;

namespace Ticker.Tests.Silo.LoadTest;

/// <summary>The baseline comparison's tolerance: ticks/s may drop 35 %, p99 may grow 50 % + 2 ms.</summary>
public sealed class BaselineComparisonUnitTests
{
    private const string Baseline = """
        {"machine": {"cores": 2}, "scenarios": [
          {"scenario": "scale", "ticks_per_s": 1000000, "p99_ms": 10},
          {"scenario": "latency.10k", "ticks_per_s": 10000, "p99_ms": 2}
        ]}
        """;

    [Fact]
    public void WithinTheToleranceIsNoRegression()
    {
        var failures = BaselineComparison.Compare([Row("scale", 660_000, 16.9), Row("latency.10k", 10_000, 4.9), Row("new", 1, 1000)], Baseline);

        Assert.Empty(failures);
    }

    [Fact]
    public void AThroughputDropBeyond35PercentRegresses()
    {
        var failures = BaselineComparison.Compare([Row("scale", 640_000, 10)], Baseline);

        Assert.Single(failures);
        Assert.StartsWith("scale: ticks/s", failures[0], StringComparison.Ordinal);
    }

    [Fact]
    public void AP99GrowthBeyond50PercentPlus2MsRegresses()
    {
        var failures = BaselineComparison.Compare([Row("scale", 1_000_000, 17.1), Row("latency.10k", 10_000, 5.1)], Baseline);

        Assert.Equal(2, failures.Count);
        Assert.All(failures, f => Assert.Contains("p99", f, StringComparison.Ordinal));
    }

    private static ScenarioResult Row(string name, double ticksPerSecond, double p99) =>
        new() { Scenario = name, TicksPerSecond = ticksPerSecond, P99Ms = p99, TicksOffered = 1, TicksAccounted = 1 };
}
