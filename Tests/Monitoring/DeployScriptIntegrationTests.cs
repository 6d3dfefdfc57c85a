using System.Text.Json;

namespace Ticker.Tests.Monitoring;

public sealed class DeployScriptIntegrationTests
{
    private const string Token = "glsa_test_token";
    private const string RunbookBase = "https://runbooks.example.test/ticker/monitoring/README.md";

    [Fact]
    public async Task Deploy_installs_the_rules_reloads_prometheus_and_imports_the_dashboard()
    {
        var rulesDir = Path.Combine(Path.GetTempPath(), "ticker-deploy-rules-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(rulesDir);
        await using var grafana = await FakeGrafana.StartAsync(Token);
        await using var prometheus = await PrometheusServer.StartAsync(new PrometheusServerOptions { RuleFiles = [Path.Combine(rulesDir, "*.yml")], EnableLifecycle = true });
        Assert.Empty((await prometheus.GetDataAsync("api/v1/rules")).GetProperty("groups").EnumerateArray());

        var result = await RunDeployAsync(grafana, prometheus, rulesDir, Token);

        Assert.True(result.ExitCode == 0, result.ToString());

        // Prometheus reloaded and now evaluates the installed rules, with absolute runbook links.
        var rules = (await prometheus.GetDataAsync("api/v1/rules")).GetProperty("groups").EnumerateArray()
            .SelectMany(g => g.GetProperty("rules").EnumerateArray()).ToArray();
        Assert.Equal(15 + 6 + 20, rules.Length);
        Assert.All(rules.Where(r => r.GetProperty("type").GetString() == "alerting"), r => Assert.StartsWith(RunbookBase + "#", r.GetProperty("annotations").GetProperty("runbook_url").GetString(), StringComparison.Ordinal));

        // Grafana received the dashboard with the token, set to overwrite the previous version.
        var (authorization, body) = Assert.Single(grafana.Imports);
        Assert.Equal("Bearer " + Token, authorization);
        var payload = JsonDocument.Parse(body).RootElement;
        Assert.True(payload.GetProperty("overwrite").GetBoolean());
        Assert.Equal("ticker-tick-processing", payload.GetProperty("dashboard").GetProperty("uid").GetString());
        Assert.Equal("Tick Processing", payload.GetProperty("dashboard").GetProperty("title").GetString());

        Directory.Delete(rulesDir, recursive: true);
    }

    [Fact]
    public async Task Deploy_fails_with_a_reason_when_grafana_refuses_the_token()
    {
        await using var grafana = await FakeGrafana.StartAsync(Token);

        var result = await ExternalTool.RunAsync(
            ExternalTool.Find("bash"), [RepositoryPaths.DeployScript],
            environment: new Dictionary<string, string> { ["GRAFANA_URL"] = grafana.BaseAddress.ToString(), ["GRAFANA_TOKEN"] = "wrong", ["SKIP_PROMETHEUS"] = "1", ["SKIP_ALERTMANAGER"] = "1" });

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Grafana refused the dashboard (HTTP 401)", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_refuses_to_run_without_grafana_settings()
    {
        var result = await ExternalTool.RunAsync(
            ExternalTool.Find("bash"), [RepositoryPaths.DeployScript],
            environment: new Dictionary<string, string> { ["SKIP_PROMETHEUS"] = "1", ["SKIP_ALERTMANAGER"] = "1", ["GRAFANA_URL"] = string.Empty });

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("GRAFANA_URL is not set", result.StandardError, StringComparison.Ordinal);
    }

    private static Task<ExternalTool.ToolResult> RunDeployAsync(FakeGrafana grafana, PrometheusServer prometheus, string rulesDir, string token)
        => ExternalTool.RunAsync(
            ExternalTool.Find("bash"), [RepositoryPaths.DeployScript],
            environment: new Dictionary<string, string>
            {
                ["GRAFANA_URL"] = grafana.BaseAddress.ToString(),
                ["GRAFANA_TOKEN"] = token,
                ["PROMETHEUS_URL"] = prometheus.BaseAddress.ToString(),
                ["PROMETHEUS_RULES_DIR"] = rulesDir,
                ["RUNBOOK_BASE_URL"] = RunbookBase,
                ["SKIP_ALERTMANAGER"] = "1",
            });
}
