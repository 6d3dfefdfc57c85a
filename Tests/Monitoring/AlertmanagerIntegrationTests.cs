namespace Ticker.Tests.Monitoring;

public sealed class AlertmanagerIntegrationTests
{
    [Fact]
    public async Task Amtool_check_config_accepts_alertmanager_yml()
    {
        var result = await ExternalTool.RunAsync(ExternalTool.Find("amtool"), ["check-config", RepositoryPaths.AlertmanagerConfig]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("SUCCESS", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("6 inhibit rules", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("2 receivers", result.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("critical", "ticker-critical")]
    [InlineData("warning", "ticker-warning")]
    [InlineData("info", "ticker-warning")]
    [InlineData("", "ticker-warning")]
    public async Task Amtool_routes_critical_alerts_and_warnings_to_separate_receivers(string severity, string receiver)
    {
        string[] labels = severity.Length == 0 ? ["alertname=Unlabelled"] : ["alertname=Any", "severity=" + severity];
        var result = await ExternalTool.RunAsync(
            ExternalTool.Find("amtool"), ["config", "routes", "test", "--config.file=" + RepositoryPaths.AlertmanagerConfig, .. labels]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(receiver, result.StandardOutput.Trim());
    }

    [Fact]
    public async Task Deploy_script_refuses_a_webhook_url_that_is_not_a_url()
    {
        var result = await ExternalTool.RunAsync(
            ExternalTool.Find("bash"), [RepositoryPaths.DeployScript],
            environment: new Dictionary<string, string>
            {
                ["ALERTMANAGER_CONFIG"] = Path.Combine(Path.GetTempPath(), "ticker-am-" + Guid.NewGuid().ToString("N"), "alertmanager.yml"),
                ["ALERTMANAGER_CRITICAL_WEBHOOK_URL"] = "pager duty please",
                ["SKIP_PROMETHEUS"] = "1",
                ["SKIP_GRAFANA"] = "1",
            });

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("webhook URL 'pager duty please' is not an http(s) URL", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_critical_alert_reaches_its_receiver_and_mutes_the_matching_warning()
    {
        await using var webhook = await WebhookReceiver.StartAsync();

        // deploy.sh writes the configuration with the receivers' URLs; Alertmanager starts on it (the reload is
        // exercised by the end-to-end test below).
        var config = Path.Combine(Path.GetTempPath(), "ticker-am-" + Guid.NewGuid().ToString("N"), "alertmanager.yml");
        var deploy = await RunDeployAsync(config, webhook, alertmanagerUrl: null);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        await using var alertmanager = await AlertmanagerServer.StartAsync(config);
        Directory.Delete(Path.GetDirectoryName(config)!, recursive: true);

        await alertmanager.PostAlertsAsync(Alert("CriticalTickProcessingLatency", "critical", "silo-a"));
        await alertmanager.WaitUntilAsync(async () => (await alertmanager.GetAlertsAsync()).Count == 1, TimeSpan.FromSeconds(30), "the critical alert to be stored");
        await alertmanager.PostAlertsAsync(Alert("HighTickProcessingLatency", "warning", "silo-a"), Alert("HighTickProcessingLatency", "warning", "silo-b"));

        // The warning of silo-b goes to the warning receiver (after the route's 30 s group wait); silo-a's warning is
        // inhibited by its critical, which went to the critical receiver.
        await alertmanager.WaitUntilAsync(
            () => Task.FromResult(webhook.AlertsOn("/warning").Count > 0 && webhook.AlertsOn("/critical").Count > 0),
            TimeSpan.FromSeconds(90),
            "both receivers to be notified");
        var critical = Assert.Single(webhook.AlertsOn("/critical"));
        Assert.Equal(("firing", "CriticalTickProcessingLatency", "silo-a"), (critical.Status, critical.Labels["alertname"], critical.Labels["instance"]));
        var warning = Assert.Single(webhook.AlertsOn("/warning"));
        Assert.Equal(("HighTickProcessingLatency", "silo-b"), (warning.Labels["alertname"], warning.Labels["instance"]));

        var inhibited = Assert.Single(await alertmanager.GetAlertsAsync(), a => a.InhibitedBy > 0);
        Assert.Equal(("HighTickProcessingLatency", "silo-a"), (inhibited.Labels["alertname"], inhibited.Labels["instance"]));
    }

    [Fact]
    public async Task A_stopped_silo_pages_through_prometheus_and_alertmanager_to_the_critical_webhook()
    {
        await using var webhook = await WebhookReceiver.StartAsync();
        await using var alertmanager = await AlertmanagerServer.StartAsync();
        await DeployAsync(alertmanager, webhook);
        var silo = await MetricsTestSilo.StartAsync();
        var target = silo.Target;
        var rules = new List<string>();
        foreach (var file in RepositoryPaths.RuleFiles)
        {
            // The rules as they are, evaluated every second instead of every 30 (their "for" durations are unchanged).
            var copy = Path.Combine(alertmanager.Directory, Path.GetFileName(file));
            await File.WriteAllTextAsync(copy, (await File.ReadAllTextAsync(file)).Replace("interval: 30s", "interval: 1s", StringComparison.Ordinal));
            rules.Add(copy);
        }

        await using var prometheus = await PrometheusServer.StartAsync(new PrometheusServerOptions
        {
            Targets = [target],
            RuleFiles = rules,
            Alertmanagers = [alertmanager.Target],
        });
        try
        {
            await prometheus.WaitForTargetsAsync(scrapes: 3);
        }
        finally
        {
            // The silo dies: its scrapes fail from now on.
            await silo.DisposeAsync();
        }

        // TickProcessorDown waits 1 minute, the critical route 10 s.
        await alertmanager.WaitUntilAsync(
            () => Task.FromResult(webhook.AlertsOn("/critical").Any(a => a.Labels["alertname"] == "TickProcessorDown")),
            TimeSpan.FromMinutes(4),
            "TickProcessorDown to reach the critical webhook");
        var alert = webhook.AlertsOn("/critical").First(a => a.Labels["alertname"] == "TickProcessorDown");
        Assert.Equal("firing", alert.Status);
        Assert.Equal(target, alert.Labels["instance"]);
        Assert.Equal("critical", alert.Labels["severity"]);
        Assert.DoesNotContain(webhook.AlertsOn("/warning"), a => a.Labels["alertname"] == "TickProcessorDown");
    }

    /// <summary>Runs deploy.sh for Alertmanager only: writes the configuration to <paramref name="config"/>, reloads <paramref name="alertmanagerUrl"/> unless null.</summary>
    private static Task<ExternalTool.ToolResult> RunDeployAsync(string config, WebhookReceiver webhook, Uri? alertmanagerUrl)
    {
        var environment = new Dictionary<string, string>
        {
            ["ALERTMANAGER_CONFIG"] = config,
            ["ALERTMANAGER_CRITICAL_WEBHOOK_URL"] = webhook.CriticalUrl.ToString(),
            ["ALERTMANAGER_WARNING_WEBHOOK_URL"] = webhook.WarningUrl.ToString(),
            ["SKIP_PROMETHEUS"] = "1",
            ["SKIP_GRAFANA"] = "1",
        };
        if (alertmanagerUrl is null)
        {
            environment["SKIP_ALERTMANAGER"] = "1";
        }
        else
        {
            environment["ALERTMANAGER_URL"] = alertmanagerUrl.ToString();
        }

        return ExternalTool.RunAsync(ExternalTool.Find("bash"), [RepositoryPaths.DeployScript], environment: environment);
    }

    private static Dictionary<string, string> Alert(string name, string severity, string instance)
        => new() { ["alertname"] = name, ["severity"] = severity, ["instance"] = instance, ["job"] = "ticker" };

    /// <summary>Installs monitoring/alertmanager.yml with deploy.sh, the receivers pointing at the local webhook, and reloads.</summary>
    private static async Task DeployAsync(AlertmanagerServer alertmanager, WebhookReceiver webhook)
    {
        var result = await RunDeployAsync(alertmanager.ConfigPath, webhook, alertmanager.BaseAddress);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("alertmanager: reloaded", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(webhook.CriticalUrl.ToString(), await alertmanager.GetLoadedConfigAsync(), StringComparison.Ordinal);
    }
}
