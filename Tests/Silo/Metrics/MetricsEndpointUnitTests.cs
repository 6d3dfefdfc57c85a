using System.Net;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Ticker.Grains.Interfaces.Instruments;
using Ticker.Silo.Metrics;

namespace Ticker.Tests.Silo.Metrics;

public sealed class MetricsEndpointUnitTests
{
    [Fact]
    public async Task Get_metrics_serves_the_text_format_with_recorded_values()
    {
        using var host = await MetricsTestHost.StartAsync(MetricsEndpointExtensions.DefaultPath);
        host.Services.GetRequiredService<TickInstruments>().RecordProcessed(InstrumentKind.Call, 0.00002);
        using var client = host.GetTestClient();

        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Contains("ticks_processed_total{tick_type=\"option\",status=\"success\"} 1\n", body, StringComparison.Ordinal);
        Assert.Contains("# TYPE tick_processing_latency_seconds histogram\n", body, StringComparison.Ordinal);
        foreach (var name in MetricsCatalog.MetricNames)
        {
            Assert.Contains($"# TYPE {name} ", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Mapping_the_endpoint_creates_the_catalog_so_the_first_scrape_is_complete()
    {
        // Nothing has resolved an instruments class: mapping the endpoint must have, or the families would be missing.
        using var host = await MetricsTestHost.StartAsync("/custom/metrics");
        using var client = host.GetTestClient();

        var body = await client.GetStringAsync(new Uri("/custom/metrics", UriKind.Relative));

        Assert.Contains("ticks_processed_total{tick_type=\"underlying\",status=\"success\"} 0\n", body, StringComparison.Ordinal);
        Assert.Contains("# TYPE process_cpu_seconds_total counter\n", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);
    }
}
