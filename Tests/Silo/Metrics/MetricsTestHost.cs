using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Ticker.Silo.Metrics;

namespace Ticker.Tests.Silo.Metrics;

/// <summary>An in-memory ASP.NET Core host (TestServer) with the metrics catalog and the scrape endpoint.</summary>
internal static class MetricsTestHost
{
    public static async Task<IHost> StartAsync(string path = MetricsEndpointExtensions.DefaultPath)
    {
        var host = new HostBuilder()
            .ConfigureWebHost(web => web
                .UseTestServer()
                .ConfigureServices(services => services.AddRouting().AddTickerMetrics())
                .Configure(app => app.UseRouting().UseEndpoints(endpoints => endpoints.MapPrometheusMetrics(path))))
            .Build();
        await host.StartAsync();
        return host;
    }
}
