using Microsoft.Extensions.DependencyInjection;
using Ticker.Client.Library;
using Ticker.Silo.Hosting;
using Ticker.Silo.Transports.Embedded;

namespace Ticker.Tests.Client.Library;

public sealed class TickerGrainClientIntegrationTests
{
    [Fact]
    public async Task An_orleans_client_reads_live_instrument_and_account_state_from_the_grains()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Http:Url"] = "http://127.0.0.1:0",
            ["Feed:Rate"] = "5000",
            ["Feed:Instruments"] = "200",
        };
        await using var silo = SiloApplication.Build(settings, static (services, configuration) => services.AddEmbeddedSilo(configuration).AddSyntheticFeed());
        await silo.StartAsync();
        var gateway = silo.Services.GetRequiredService<OrleansEndpoints>().GatewayPort;
        var feed = silo.Services.GetRequiredService<SyntheticFeedHostedService>();
        var store = silo.Services.GetRequiredService<InMemorySnapshotStore>();
        var nifty = feed.Market.Instruments[0];

        await using var client = await TickerGrainClient.ConnectAsync(gateway, CancellationToken.None);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await client.GetInstrumentAsync(nifty.InstrumentToken)) is not { Ticks: > 10 })
        {
            Assert.True(DateTime.UtcNow < deadline, "the NIFTY grain did not reach 10 ticks");
            await Task.Delay(50);
        }

        // What was published first, then the grain: the grain is never behind what it published.
        Assert.True(store.TryGet(nifty.InstrumentToken, out var published));
        var live = (await client.GetInstrumentAsync(nifty.InstrumentToken))!.Value;
        Assert.Equal(nifty.InstrumentToken, live.InstrumentToken);
        Assert.True(live.Ticks >= published.Ticks, $"the grain ({live.Ticks} ticks) is behind what it published ({published.Ticks})");
        Assert.Null(await client.GetInstrumentAsync(1));

        while ((await client.GetAccountAsync(SyntheticFeedHostedService.AccountId)) is not { Active: true })
        {
            Assert.True(DateTime.UtcNow < deadline, "the synthetic account was not reported active");
            await Task.Delay(50);
        }

        var accounts = await client.GetAccountsAsync();
        Assert.Contains(accounts, a => a.AccountId == SyntheticFeedHostedService.AccountId && a.Instruments == 200);
        await silo.StopAsync();
    }
}
