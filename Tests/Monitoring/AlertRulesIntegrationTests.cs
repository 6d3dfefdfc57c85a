using System.Text.RegularExpressions;

namespace Ticker.Tests.Monitoring;

public sealed partial class AlertRulesIntegrationTests
{
    private static readonly string[] Critical = ["CriticalTickProcessingLatency", "HighTickProcessingErrorRate", "NoTicksProcessed", "NoActiveAccounts", "TickProcessorDown"];

    private static readonly string[] Warning =
    [
        "HighTickProcessingLatency", "LowTickThroughput", "TickValidationErrorsIncreasing", "HighBatchFlushLatency",
        "NoGreeksCalculations", "HighGreeksCalculationLatency", "HighRedisErrorRate", "HighTickStreamLag", "KiteWebSocketReconnectStorm",
    ];

    [Fact]
    public async Task Promtool_check_rules_accepts_the_rules()
    {
        var result = await ExternalTool.RunAsync(ExternalTool.Find("promtool"), ["check", "rules", RepositoryPaths.AlertRules]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("SUCCESS: 15 rules found", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cluster-alerts.yml", 6)]
    [InlineData("slo-rules.yml", 20)]
    public async Task Promtool_check_rules_accepts_the_cluster_and_slo_rules(string file, int count)
    {
        var result = await ExternalTool.RunAsync(ExternalTool.Find("promtool"), ["check", "rules", Path.Combine(RepositoryPaths.Monitoring, "alerts", file)]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"SUCCESS: {count} rules found", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tick-processing-alerts.test.yml")]
    [InlineData("cluster-alerts.test.yml")]
    [InlineData("slo-rules.test.yml")]
    public async Task Promtool_test_rules_passes_every_case(string file)
    {
        var result = await ExternalTool.RunAsync(
            ExternalTool.Find("promtool"), ["test", "rules", file], workingDirectory: Path.Combine(RepositoryPaths.Monitoring, "alerts"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("SUCCESS", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promtool_check_config_accepts_prometheus_yml_and_its_rule_files()
    {
        var result = await ExternalTool.RunAsync(ExternalTool.Find("promtool"), ["check", "config", RepositoryPaths.PrometheusConfig]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"{RepositoryPaths.RuleFiles.Count} rule files found", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_script_check_mode_validates_everything_and_exits_zero()
    {
        var result = await ExternalTool.RunAsync(ExternalTool.Find("bash"), [RepositoryPaths.DeployScript, "--check"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("rules: valid, tests pass", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Severities_are_five_critical_nine_warning_one_info()
    {
        var rules = AlertRuleFile.Load();

        Assert.Equal(15, rules.Count);
        Assert.Equal(Critical.Order(StringComparer.Ordinal), rules.Where(r => r.Severity == "critical").Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.Equal(Warning.Order(StringComparer.Ordinal), rules.Where(r => r.Severity == "warning").Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["LowBatchFillRate"], rules.Where(r => r.Severity == "info").Select(r => r.Name));
    }

    [Fact]
    public void Cluster_and_slo_alerts_page_on_loss_and_fast_burn_and_warn_on_the_rest()
    {
        var rules = AlertRuleFile.Load(RepositoryPaths.ClusterAlertRules).Concat(AlertRuleFile.Load(RepositoryPaths.SloRules)).ToArray();

        Assert.Equal(
            ["SiloDeclaredDead", "TickAvailabilityBudgetFastBurn", "TickFreshnessBudgetFastBurn", "TickStreamQueueNotPulled"],
            rules.Where(r => r.Severity == "critical").Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.Equal(
            ["ClusterMembershipShrinking", "GrainActivationsExploding", "TickAvailabilityBudgetSlowBurn", "TickFreshnessBudgetSlowBurn", "TickStreamBacklogGrowing", "TickStreamDeadLetters"],
            rules.Where(r => r.Severity == "warning").Select(r => r.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Histogram_alerts_take_quantiles_of_bucket_rates()
    {
        foreach (var rule in AlertRuleFile.Load().Where(r => r.Expr.Contains("_seconds", StringComparison.Ordinal)))
        {
            Assert.Matches(@"histogram_quantile\(0\.\d+, sum by \(instance, le\) \(rate\(\w+_bucket\{", rule.Expr);
        }
    }

    [Fact]
    public void Every_alert_links_to_its_own_section_of_the_monitoring_readme()
    {
        var anchors = Heading().Matches(File.ReadAllText(RepositoryPaths.MonitoringReadme))
            .Select(m => Slug(m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal);
        foreach (var rule in AlertRuleFile.LoadAll())
        {
            Assert.Equal("monitoring/README.md#" + rule.Name.ToLowerInvariant(), rule.RunbookUrl);
            Assert.Contains(rule.Name.ToLowerInvariant(), anchors);
        }
    }

    [Theory]
    [InlineData("tick-processing-alerts.yml")]
    [InlineData("cluster-alerts.yml")]
    [InlineData("slo-rules.yml")]
    public void Every_alert_has_a_test_case_in_which_it_fires(string file)
    {
        var rulesFile = Path.Combine(RepositoryPaths.Monitoring, "alerts", file);
        var tests = File.ReadAllLines(RepositoryPaths.TestsOf(rulesFile));
        var firing = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < tests.Length; i++)
        {
            var alertName = AlertName().Match(tests[i]);
            if (alertName.Success && i + 1 < tests.Length && tests[i + 1].Trim() == "exp_alerts:")
            {
                firing.Add(alertName.Groups[1].Value);
            }
        }

        Assert.Equal(AlertRuleFile.Load(rulesFile).Select(r => r.Name).Order(StringComparer.Ordinal), firing.Order(StringComparer.Ordinal));
    }

    // GitHub's heading anchors: lower case, spaces to hyphens, punctuation dropped.
    private static string Slug(string heading)
        => new([.. heading.ToLowerInvariant().Replace(' ', '-').Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')]);

    [GeneratedRegex(@"^#{1,6} (.+)$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"^\s*alertname: (\w+)\s*$")]
    private static partial Regex AlertName();
}
