namespace Ticker.Silo.LoadTest;

/// <summary>What <c>./ticker loadtest</c> runs and where it writes.</summary>
internal sealed class LoadTestOptions
{
    /// <summary>The scenario to run, or null for all.</summary>
    public string? Scenario { get; init; }

    /// <summary>Redis to use; null starts a redis-server for the run.</summary>
    public string? Redis { get; init; }

    /// <summary>Durations.</summary>
    public LoadTestMode Mode { get; init; } = LoadTestMode.Default;

    /// <summary>Directory for summary.json, summary.md and the charts.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>A saved summary.json to compare with, or null.</summary>
    public string? Baseline { get; init; }

    /// <summary>The ticker.dll to start silos and feeds from (default: the one beside the running program).</summary>
    public string TickerDll { get; init; } = Path.Combine(AppContext.BaseDirectory, "ticker.dll");
}
