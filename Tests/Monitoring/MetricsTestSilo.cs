using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Ticker.Silo.Hosting;

namespace Ticker.Tests.Monitoring;

/// <summary>
/// A real silo (embedded transport) with the synthetic feed running, on a free loopback port: what Prometheus
/// scrapes in the monitoring tests.
/// </summary>
internal sealed class MetricsTestSilo : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MetricsTestSilo(WebApplication app, string target)
    {
        _app = app;
        Target = target;
    }

    /// <summary>The <c>host:port</c> Prometheus scrapes.</summary>
    public string Target { get; }

    public static async Task<MetricsTestSilo> StartAsync()
    {
        var app = SiloApplication.Build(
            new Dictionary<string, string?>
            {
                ["Http:Url"] = "http://127.0.0.1:0",
                ["Feed:Rate"] = "5000",
                ["Feed:Instruments"] = "500",
            },
            static (services, configuration) => services.AddEmbeddedSilo(configuration).AddSyntheticFeed());
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return new MetricsTestSilo(app, $"{address.Host}:{address.Port}");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
