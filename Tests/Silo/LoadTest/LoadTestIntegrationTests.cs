using System.Text.Json;
using System.Xml.Linq;
using Ticker.Silo.LoadTest;

namespace Ticker.Tests.Silo.LoadTest;

/// <summary>
/// Runs every load-test scenario in quick mode (real redis-server, silo and feed processes) and checks what cannot
/// be noisy: the run completes, no tick is lost, and the report files are written and parse. No timing assertions.
/// </summary>
public sealed class LoadTestIntegrationTests
{
    [Fact]
    public async Task EveryQuickScenarioAccountsEveryTickAndWritesTheReport()
    {
        var output = Path.Combine(Path.GetTempPath(), "ticker-loadtest-test-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var results = new List<ScenarioResult>();
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var options = new LoadTestOptions { Mode = LoadTestMode.Quick, OutputDirectory = output };

            var exit = await LoadTestRunner.RunAsync(options, stdout, stderr, results, CancellationToken.None);

            Assert.True(exit == 0, $"exit {exit}\n{stderr}");
            Assert.Equal(LoadTestScenarios.Names.Sum(n => LoadTestScenarios.Phases(n, LoadTestMode.Quick).Length), results.Count);
            foreach (var r in results)
            {
                Assert.True(r.TicksOffered > 0, r.Scenario);
                Assert.True(r.TicksAccounted == r.TicksOffered, $"{r.Scenario}: offered {r.TicksOffered}, accounted {r.TicksAccounted}");
            }

            using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "summary.json")));
            Assert.True(summary.RootElement.GetProperty("machine").GetProperty("cores").GetInt32() > 0);
            var rows = summary.RootElement.GetProperty("scenarios").EnumerateArray().ToList();
            Assert.Equal(results.Count, rows.Count);
            foreach (var row in rows)
            {
                Assert.Equal(row.GetProperty("ticks_offered").GetInt64(), row.GetProperty("ticks_accounted").GetInt64());
                _ = row.GetProperty("p99_ms").GetDouble();
                _ = row.GetProperty("peak_rss_mb").GetDouble();
                var name = row.GetProperty("scenario").GetString()!;
                foreach (var chart in new[] { "throughput", "latency", "rss" })
                {
                    var svg = XDocument.Load(Path.Combine(output, $"{name}.{chart}.svg"));
                    Assert.Equal("svg", svg.Root!.Name.LocalName);
                }
            }

            Assert.Contains("| baseline.paced |", File.ReadAllText(Path.Combine(output, "summary.md")), StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }

    [Fact]
    public async Task AnUnknownScenarioIsRefused()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var options = new LoadTestOptions { Scenario = "nope", OutputDirectory = Path.GetTempPath() };

        var exit = await LoadTestRunner.RunAsync(options, stdout, stderr, [], CancellationToken.None);

        Assert.Equal(2, exit);
        Assert.Contains("unknown scenario", stderr.ToString(), StringComparison.Ordinal);
    }
}
