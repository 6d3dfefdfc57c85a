using Microsoft.AspNetCore.TestHost;
using Ticker.Tests.Monitoring;

namespace Ticker.Tests.Silo.Metrics;

public sealed class MetricsExpositionIntegrationTests
{
    [Fact]
    public async Task Promtool_check_metrics_finds_nothing_to_complain_about_in_the_whole_catalog()
    {
        using var provider = CatalogRecorder.CreateProvider();
        var text = await CatalogRecorder.RecordEverything(provider, rounds: 3).RenderAsync();

        var result = await ExternalTool.RunAsync(ExternalTool.Find("promtool"), ["check", "metrics"], standardInput: text);

        // promtool exits 0 and prints nothing when the exposition parses and every lint rule passes.
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(string.Empty, (result.StandardOutput + result.StandardError).Trim());
    }

    [Fact]
    public async Task The_exposition_the_endpoint_serves_passes_promtool()
    {
        using var host = await MetricsTestHost.StartAsync();
        CatalogRecorder.RecordEverything(host.Services);
        using var client = host.GetTestClient();
        var body = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        var result = await ExternalTool.RunAsync(ExternalTool.Find("promtool"), ["check", "metrics"], standardInput: body);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(string.Empty, (result.StandardOutput + result.StandardError).Trim());
    }

    [Fact]
    public async Task Promtool_reports_a_lint_problem_when_there_is_one()
    {
        // The check above is only worth something if promtool does complain about a bad exposition.
        const string Bad = "# HELP bad_metric_count Bad.\n# TYPE bad_metric_count gauge\nbad_metric_count 1\n";

        var result = await ExternalTool.RunAsync(ExternalTool.Find("promtool"), ["check", "metrics"], standardInput: Bad);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("_count", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }
}
