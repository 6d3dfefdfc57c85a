namespace Ticker.Tests.Monitoring;

/// <summary>Paths in the repository (found from <c>TICKER_ROOT</c> or by walking up to <c>Orleans.sln</c>).</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Monitoring => Path.Combine(Root, "monitoring");

    public static string Dashboard => Path.Combine(Monitoring, "grafana", "tick-processing-dashboard.json");

    public static string AlertRules => Path.Combine(Monitoring, "alerts", "tick-processing-alerts.yml");

    public static string AlertRuleTests => Path.Combine(Monitoring, "alerts", "tick-processing-alerts.test.yml");

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
