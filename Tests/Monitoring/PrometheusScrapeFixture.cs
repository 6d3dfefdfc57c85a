namespace Ticker.Tests.Monitoring;

/// <summary>
/// A <see cref="MetricsTestSilo"/> under load and a real Prometheus scraping it every second with every rule file
/// loaded (re-timed to evaluate every second), shared by the scrape tests.
/// </summary>
public sealed class PrometheusScrapeFixture : IAsyncLifetime
{
    private MetricsTestSilo? _silo;
    private PrometheusServer? _prometheus;

    internal MetricsTestSilo Silo => _silo ?? throw new InvalidOperationException("Not started.");

    internal PrometheusServer Prometheus => _prometheus ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        _silo = await MetricsTestSilo.StartAsync();
        var rules = new List<string>();
        foreach (var file in RepositoryPaths.RuleFiles)
        {
            var copy = Path.Combine(Path.GetTempPath(), "ticker-rules-" + Guid.NewGuid().ToString("N") + ".yml");
            await File.WriteAllTextAsync(copy, (await File.ReadAllTextAsync(file)).Replace("interval: 30s", "interval: 1s", StringComparison.Ordinal));
            rules.Add(copy);
        }

        _prometheus = await PrometheusServer.StartAsync(new PrometheusServerOptions { Targets = [_silo.Target], RuleFiles = rules });
        await _prometheus.WaitForTargetsAsync(scrapes: 5);
        await _prometheus.WaitUntilAsync(
            async () => await _prometheus.CountResultsAsync("slo:tick_freshness:error_ratio_rate30d") > 0,
            TimeSpan.FromSeconds(30),
            "the SLO rules to record their first ratios");
    }

    public async Task DisposeAsync()
    {
        if (_prometheus is not null)
        {
            await _prometheus.DisposeAsync();
        }

        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }
}
