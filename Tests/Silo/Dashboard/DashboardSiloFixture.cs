using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Ticker.Silo.Hosting;

namespace Ticker.Tests.Silo.Dashboard;

/// <summary>One embedded silo with the synthetic feed, shared by the dashboard tests, on a free loopback port.</summary>
public sealed class DashboardSiloFixture : IAsyncLifetime
{
    /// <summary>The silo id the page must show.</summary>
    public const string SiloId = "dashboard-test-silo";

    /// <summary>The shards the page must show.</summary>
    public const int ShardCount = 3;

    private WebApplication? _app;

    /// <summary>The running silo.</summary>
    public WebApplication App => _app ?? throw new InvalidOperationException("The silo is not started.");

    /// <summary>The silo's HTTP address.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The status page's address.</summary>
    public Uri StatusPage => new(BaseAddress, "/status");

    /// <summary>The Orleans Dashboard's address.</summary>
    public Uri OrleansDashboard => new(BaseAddress, "/dashboard/");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Http:Url"] = "http://127.0.0.1:0",
            ["Silo:SiloId"] = SiloId,
            ["Silo:ShardCount"] = ShardCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // Modest load: the browser shares the machine. The 800 instruments nearest the money tick every ~0.4 s.
            ["Feed:Rate"] = "2000",
            ["Feed:Instruments"] = "800",
        };
        _app = SiloApplication.Build(settings, static (services, configuration) => services.AddEmbeddedSilo(configuration).AddSyntheticFeed());
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
