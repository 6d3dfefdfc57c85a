using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ticker.Silo.Metrics;
using Ticker.Tests.Silo.Metrics;

namespace Ticker.Tests.Monitoring;

/// <summary>
/// A tiny Kestrel app on a free loopback port that serves our <c>/metrics</c> and records into every instrument of
/// the catalog every 50 ms, standing in for a silo under load until the real silo is pointed at instead.
/// </summary>
internal sealed class MetricsTestSilo : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _load;

    private MetricsTestSilo(WebApplication app, string target)
    {
        _app = app;
        Target = target;
        _load = Task.Run(LoadAsync);
    }

    /// <summary>The <c>host:port</c> Prometheus scrapes.</summary>
    public string Target { get; }

    public static async Task<MetricsTestSilo> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddTickerMetrics();
        var app = builder.Build();
        app.MapPrometheusMetrics();
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return new MetricsTestSilo(app, $"{address.Host}:{address.Port}");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _load;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stop.Dispose();
    }

    private async Task LoadAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            CatalogRecorder.RecordEverything(_app.Services);
            try
            {
                await Task.Delay(50, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
