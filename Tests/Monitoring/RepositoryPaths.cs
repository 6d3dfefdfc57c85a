namespace Ticker.Tests.Monitoring;

/// <summary>Paths in the repository (found from <c>TICKER_ROOT</c> or by walking up to <c>Orleans.sln</c>).</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Monitoring => Path.Combine(Root, "monitoring");

    public static string Dashboard => Path.Combine(Monitoring, "grafana", "tick-processing-dashboard.json");

    public static string AlertRules => Path.Combine(Monitoring, "alerts", "tick-processing-alerts.yml");

    public static string AlertRuleTests => Path.Combine(Monitoring, "alerts", "tick-processing-alerts.test.yml");

    public static string ClusterAlertRules => Path.Combine(Monitoring, "alerts", "cluster-alerts.yml");

    public static string SloRules => Path.Combine(Monitoring, "alerts", "slo-rules.yml");

    /// <summary>Every rule file Prometheus loads, in prometheus.yml's order; each has its tests in <c>*.test.yml</c> beside it.</summary>
    public static IReadOnlyList<string> RuleFiles => [AlertRules, ClusterAlertRules, SloRules];

    public static string AlertmanagerConfig => Path.Combine(Monitoring, "alertmanager.yml");

    /// <summary>The <c>promtool test rules</c> file of a rule file.</summary>
    public static string TestsOf(string ruleFile) => Path.ChangeExtension(ruleFile, ".test.yml");

    public static string PrometheusConfig => Path.Combine(Monitoring, "prometheus.yml");

    public static string MonitoringReadme => Path.Combine(Monitoring, "README.md");

    public static string DeployScript => Path.Combine(Monitoring, "deploy.sh");

    private static string FindRoot()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("TICKER_ROOT");
        if (!string.IsNullOrEmpty(fromEnvironment) && File.Exists(Path.Combine(fromEnvironment, "Orleans.sln")))
        {
            return fromEnvironment;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Orleans.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Cannot find the repository root (Orleans.sln) above {AppContext.BaseDirectory}; set TICKER_ROOT.");
    }
}
