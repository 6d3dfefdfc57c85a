using System.Globalization;
using System.Text.Json;

namespace Ticker.Tests.Monitoring;

[Collection(PrometheusScrapeCollection.Name)]
public sealed class PrometheusScrapeIntegrationTests(PrometheusScrapeFixture fixture)
{
    [Fact]
    public async Task Prometheus_scrapes_the_endpoint_without_errors()
    {
        var targets = await fixture.Prometheus.GetDataAsync("api/v1/targets");
        var target = Assert.Single(targets.GetProperty("activeTargets").EnumerateArray());

        Assert.Equal("up", target.GetProperty("health").GetString());
        Assert.Equal(string.Empty, target.GetProperty("lastError").GetString());
        Assert.Equal(fixture.Silo.Target, target.GetProperty("labels").GetProperty("instance").GetString());
    }

    [Fact]
    public async Task Every_dashboard_expression_runs_and_returns_data()
    {
        var failures = new List<string>();
        foreach (var query in DashboardQueries.Load())
        {
            var expr = DashboardQueries.ForPrometheus(query.Expr);
            try
            {
                if (await fixture.Prometheus.CountResultsAsync(expr) == 0)
                {
                    failures.Add($"{query}: no data for {expr}");
                }
            }
            catch (InvalidOperationException ex)
            {
                failures.Add($"{query}: {ex.Message}");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task The_slo_recording_rules_compute_ratios_from_the_live_silo()
    {
        await fixture.Prometheus.WaitUntilAsync(
            async () => await fixture.Prometheus.CountResultsAsync("slo:tick_availability:error_ratio_rate5m") > 0
                && await fixture.Prometheus.CountResultsAsync("slo:tick_freshness:error_ratio_rate5m") > 0,
            TimeSpan.FromSeconds(30),
            "the SLO error ratios to be recorded");

        foreach (var record in new[] { "slo:tick_availability:error_ratio_rate5m", "slo:tick_freshness:error_ratio_rate5m" })
        {
            var value = (await fixture.Prometheus.QueryAsync(record)).GetProperty("result")[0].GetProperty("value")[1].GetString()!;
            Assert.InRange(double.Parse(value, CultureInfo.InvariantCulture), 0, 1);
        }
    }

    [Fact]
    public async Task The_live_endpoint_exports_the_orleans_and_runtime_families_the_monitoring_uses()
    {
        using var http = new HttpClient();
        var body = await http.GetStringAsync(new Uri($"http://{fixture.Silo.Target}/metrics"));

        foreach (var family in ExportedMetricNames.OrleansAndRuntime)
        {
            Assert.Contains($"\n{family}", body, StringComparison.Ordinal);
        }

        Assert.Contains("microsoft_orleans_orleans_grains{grain_type=\"tickpartition\"}", body, StringComparison.Ordinal);
        Assert.Contains("microsoft_orleans_orleans_streams_persistent_stream_pulling_agents{name=\"ticks\"}", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_alert_rule_loads_and_evaluates_cleanly()
    {
        await fixture.Prometheus.WaitUntilAsync(
            async () => AlertRules(await fixture.Prometheus.GetDataAsync("api/v1/rules")).All(r => r.GetProperty("health").GetString() != "unknown"),
            TimeSpan.FromSeconds(30),
            "every rule to be evaluated");

        var rules = AlertRules(await fixture.Prometheus.GetDataAsync("api/v1/rules")).ToArray();

        Assert.Equal(
            AlertRuleFile.LoadAll().Select(r => r.Name).Order(StringComparer.Ordinal),
            rules.Where(r => r.GetProperty("type").GetString() == "alerting").Select(r => r.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        Assert.All(rules, r => Assert.True(r.GetProperty("health").GetString() == "ok", $"{r.GetProperty("name")}: {r}"));
    }

    [Fact]
    public async Task Latency_quantiles_computed_by_prometheus_are_those_of_a_microsecond_fast_silo()
    {
        // The silo applies a tick (IV and Greeks included) in microseconds: Prometheus' quantiles over the scraped
        // buckets must say so, for both tick types, and be ordered.
        var p50 = await QuantilesAsync(0.5);
        var p99 = await QuantilesAsync(0.99);

        foreach (var type in new[] { "underlying", "option" })
        {
            Assert.InRange(p50[type], 1e-8, 1e-3);
            Assert.InRange(p99[type], p50[type], 1e-2);
        }
    }

    private async Task<Dictionary<string, double>> QuantilesAsync(double q)
    {
        var data = await fixture.Prometheus.QueryAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"histogram_quantile({q}, sum by (le, tick_type) (rate(tick_processing_latency_seconds_bucket{{job=\"ticker\"}}[30s])))"));
        return data.GetProperty("result").EnumerateArray().ToDictionary(
            r => r.GetProperty("metric").GetProperty("tick_type").GetString()!,
            r => double.Parse(r.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task The_live_endpoint_passes_promtool_over_http()
    {
        using var http = new HttpClient();
        var body = await http.GetStringAsync(new Uri($"http://{fixture.Silo.Target}/metrics"));

        var result = await ExternalTool.RunAsync(ExternalTool.Find("promtool"), ["check", "metrics"], standardInput: body);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(string.Empty, (result.StandardOutput + result.StandardError).Trim());
    }

    private static IEnumerable<JsonElement> AlertRules(JsonElement data)
        => data.GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("rules").EnumerateArray());
}
