using System.Globalization;
using System.Text.Json;

namespace Ticker.Silo.LoadTest;

/// <summary>
/// Compares a run with a saved summary.json: a scenario regresses when its ticks/s drops by more than
/// <see cref="MaxThroughputDrop"/> or its P99 exceeds the baseline's × (1 + <see cref="MaxP99Growth"/>) + <see cref="P99SlackMs"/>.
/// </summary>
internal static class BaselineComparison
{
    /// <summary>Largest tolerated fractional drop of ticks/s (35 %).</summary>
    public const double MaxThroughputDrop = 0.35;

    /// <summary>Largest tolerated fractional growth of P99 (50 %).</summary>
    public const double MaxP99Growth = 0.50;

    /// <summary>Absolute P99 slack in ms added to the growth allowance.</summary>
    public const double P99SlackMs = 2.0;

    /// <summary>The tolerance, as printed in the output.</summary>
    public static string Tolerance => string.Create(CultureInfo.InvariantCulture, $"ticks/s may drop by at most {MaxThroughputDrop:P0}; p99 may grow to at most baseline × {1 + MaxP99Growth:F2} + {P99SlackMs} ms");

    /// <summary>The regressions of <paramref name="results"/> against the summary.json text <paramref name="baselineJson"/> (empty: none).</summary>
    public static List<string> Compare(IReadOnlyList<ScenarioResult> results, string baselineJson)
    {
        var failures = new List<string>();
        using var doc = JsonDocument.Parse(baselineJson);
        var baseline = new Dictionary<string, (double TicksPerS, double P99)>(StringComparer.Ordinal);
        foreach (var row in doc.RootElement.GetProperty("scenarios").EnumerateArray())
        {
            baseline[row.GetProperty("scenario").GetString()!] = (row.GetProperty("ticks_per_s").GetDouble(), row.GetProperty("p99_ms").GetDouble());
        }

        foreach (var r in results)
        {
            if (!baseline.TryGetValue(r.Scenario, out var b))
            {
                continue;
            }

            if (r.TicksPerSecond < b.TicksPerS * (1 - MaxThroughputDrop))
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"{r.Scenario}: ticks/s {r.TicksPerSecond:F0} < {b.TicksPerS * (1 - MaxThroughputDrop):F0} (baseline {b.TicksPerS:F0} − {MaxThroughputDrop:P0})"));
            }

            var limit = (b.P99 * (1 + MaxP99Growth)) + P99SlackMs;
            if (r.P99Ms > limit)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"{r.Scenario}: p99 {r.P99Ms:F2} ms > {limit:F2} ms (baseline {b.P99:F2} ms × {1 + MaxP99Growth:F2} + {P99SlackMs} ms)"));
            }
        }

        return failures;
    }
}
