using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ticker.Client.Kite;
using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Ticks;
using Ticker.Silo.Hosting;
using SiloOptions = Ticker.Silo.Options.SiloOptions;
using Ticker.Silo.KiteMock;
using Ticker.Tests.Client.Kite;

namespace Ticker.Tests.Silo.Hosting;

/// <summary>A silo configured with Kite accounts streams them from the mock; <c>/api/accounts</c> shows them.</summary>
public sealed class KiteIngestionIntegrationTests
{
    [Fact]
    public async Task Configured_accounts_stream_into_the_silo_and_show_in_the_accounts_api()
    {
        await using var server = await StartTodayAsync();
        var variable = "TICKER_TEST_KITE_TOKEN_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, KiteTestServer.AccessToken);
        try
        {
            await using var app = Build(server, new()
            {
                ["Kite:Accounts:0:ApiKey"] = KiteTestServer.ApiKey,
                ["Kite:Accounts:0:AccessTokenEnv"] = variable,
                ["Kite:Accounts:0:InstrumentFilter:Underlyings:0"] = "NIFTY",
                ["Kite:Accounts:0:InstrumentFilter:MaxCount"] = "150",
                ["Kite:Accounts:0:Instruments:0"] = SyntheticMaster.NiftyBankToken.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Kite:Accounts:0:Mode"] = "full",
                ["Kite:Accounts:1:ApiKey"] = "other_key",
                ["Kite:Accounts:1:AccessToken"] = "not_accepted",
                ["Kite:Accounts:1:Instruments:0"] = SyntheticMaster.Nifty50Token.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
            await app.StartAsync();
            using var http = new HttpClient { BaseAddress = BaseAddress(app) };
            var service = app.Services.GetRequiredService<KiteIngestionHostedService>();

            await Eventually.WaitUntilAsync(() => service.Feeds.Count == 2 && service.Feeds[0].TicksWritten >= 151, "the good account streamed every instrument");
            await Eventually.WaitUntilAsync(() => service.Feeds[1].Connections[0].Status == KiteConnectionStatus.CredentialsRejected, "the other account was refused");

            // Accounts come from their grains, which the silo reports to once a second.
            JsonDocument? accounts = null;
            await Eventually.WaitUntilAsync(
                () =>
                {
                    accounts?.Dispose();
                    accounts = http.GetFromJsonAsync<JsonDocument>("/api/accounts").GetAwaiter().GetResult();
                    return accounts!.RootElement.GetProperty("active").GetInt32() == 1
                        && accounts.RootElement.GetProperty("accounts").GetArrayLength() == 2
                        && accounts.RootElement.GetProperty("accounts").EnumerateArray().All(a => a.GetProperty("instruments").GetInt32() > 0 || a.GetProperty("account_id").GetString() == "other_key");
                },
                "the accounts API shows the streaming account active");
            using var reported = accounts!;
            var list = reported.RootElement.GetProperty("accounts").EnumerateArray().ToDictionary(a => a.GetProperty("account_id").GetString()!);
            var good = list[KiteTestServer.ApiKey];
            Assert.True(good.GetProperty("active").GetBoolean());
            Assert.Equal(1, good.GetProperty("connected").GetInt32());
            Assert.Equal(151, good.GetProperty("instruments").GetInt32());
            Assert.True(good.GetProperty("ticks").GetInt64() >= 151);
            Assert.Equal(app.Services.GetRequiredService<IOptions<SiloOptions>>().Value.SiloId, good.GetProperty("silo").GetString());
            Assert.StartsWith("S127.0.0.1:", good.GetProperty("silo_address").GetString(), StringComparison.Ordinal);
            var refused = list["other_key"];
            Assert.False(refused.GetProperty("active").GetBoolean());
            Assert.Equal(0, refused.GetProperty("connected").GetInt32());
            Assert.Equal("Healthy", await http.GetStringAsync("/health"));
            Assert.Equal(1, server.RejectedUpgrades);

            var session = Assert.Single(server.OpenSessions);
            Assert.Contains(SyntheticMaster.NiftyBankToken, session.Subscriptions().Keys);
            Assert.All(session.Subscriptions().Values, m => Assert.Equal(TickMode.Full, m));
            await app.StopAsync();
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task Connections_report_to_the_kite_metrics()
    {
        await using var server = await StartTodayAsync();
        await using var app = Build(server, new()
        {
            ["Kite:Accounts:0:ApiKey"] = KiteTestServer.ApiKey,
            ["Kite:Accounts:0:AccessToken"] = KiteTestServer.AccessToken,
            ["Kite:Accounts:0:InstrumentFilter:MaxCount"] = "50",
        });
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = BaseAddress(app) };
        var service = app.Services.GetRequiredService<KiteIngestionHostedService>();
        await Eventually.WaitUntilAsync(() => service.Feeds.Count == 1 && service.Feeds[0].TicksWritten >= 50, "ticks arrived");

        server.SendGarbage(3);
        await Eventually.WaitUntilAsync(() => service.Feeds[0].DecodeErrors == 3, "three malformed frames");
        server.DropAll();
        await Eventually.WaitUntilAsync(() => server.OpenSessions.Count == 1 && server.Sessions.Count == 2, "reconnected");
        await Eventually.WaitUntilAsync(() => service.Feeds[0].Connections[0].Status == KiteConnectionStatus.Connected, "connected again");

        var metrics = await http.GetStringAsync("/metrics");
        Assert.True(Metric(metrics, "kite_frames_received_total{kind=\"ticks\"}") > 0, metrics);
        Assert.True(Metric(metrics, "kite_ticks_received_total") >= 50);
        Assert.Equal(1, Metric(metrics, "kite_decode_errors_total{reason=\"unknown_packet_length\"}"));
        Assert.True(Metric(metrics, "kite_websocket_reconnects_total") >= 1);
        Assert.Equal(1, Metric(metrics, "kite_websocket_connections"));
        Assert.Equal(1, Metric(metrics, "kite_accounts_owned"));
        Assert.Equal(1, Metric(metrics, "kite_account_ownership_changes_total{change=\"acquired\"}"));
        await app.StopAsync();
    }

    [Fact]
    public async Task An_account_whose_token_cannot_be_read_stops_the_silo_at_start_naming_the_source()
    {
        await using var server = await StartTodayAsync();
        var variable = "TICKER_TEST_UNSET_" + Guid.NewGuid().ToString("N");
        await using var app = Build(server, new()
        {
            ["Kite:Accounts:0:ApiKey"] = KiteTestServer.ApiKey,
            ["Kite:Accounts:0:AccessTokenEnv"] = variable,
            ["Kite:Accounts:0:Instruments:0"] = "256265",
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains($"Kite:Accounts:0: the access token cannot be read: environment variable {variable} is not set or empty", error.Failures);
        Assert.Equal(0, server.UpgradeRequests);
    }

    [Fact]
    public async Task Without_accounts_or_when_disabled_nothing_connects()
    {
        await using var server = await StartTodayAsync();
        await using var app = Build(server, new()
        {
            ["Kite:Enabled"] = "false",
            ["Kite:Accounts:0:ApiKey"] = KiteTestServer.ApiKey,
            ["Kite:Accounts:0:AccessToken"] = KiteTestServer.AccessToken,
            ["Kite:Accounts:0:Instruments:0"] = "256265",
        });
        await app.StartAsync();

        await Task.Delay(500);

        Assert.Empty(app.Services.GetRequiredService<KiteIngestionHostedService>().Feeds);
        Assert.Equal(0, server.UpgradeRequests);
        await app.StopAsync();
    }

    private static Task<KiteMockServer> StartTodayAsync() =>
        KiteTestServer.StartAsync(instruments: 1_000, master: SyntheticMaster.Create(SyntheticMaster.TodayInIndia(TimeProvider.System)));

    private static WebApplication Build(KiteMockServer server, Dictionary<string, string?> kite)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Http:Url"] = "http://127.0.0.1:0",
            ["Silo:ShardCount"] = "2",
            ["Kite:Url"] = server.Url.ToString(),
            ["Kite:StaleAfter"] = "00:00:05",
            ["Kite:Reconnect:InitialDelay"] = "00:00:00.050",
            ["Kite:Reconnect:MaxDelay"] = "00:00:00.500",
        };
        foreach (var (key, value) in kite)
        {
            settings[key] = value;
        }

        return SiloApplication.Build(settings, static (services, configuration) => services.AddEmbeddedSilo(configuration));
    }

    private static double Metric(string metrics, string series)
    {
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        Assert.True(line is not null, $"no {series} in /metrics");
        return double.Parse(line![(series.Length + 1)..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Uri BaseAddress(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}
