using Ticker.Grains.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ticker.Silo.Diagnostics;
using Ticker.Silo.Hosting;
using Ticker.Silo.Transports.Embedded;

using SiloOptions = Ticker.Silo.Options.SiloOptions;

namespace Ticker.Tests.Silo;

/// <summary>The whole silo in one process: synthetic feed → codec → stream → shard workers → in-memory store → HTTP.</summary>
public sealed class EmbeddedSiloIntegrationTests
{
    private static WebApplication Build(Dictionary<string, string?> extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Http:Url"] = "http://127.0.0.1:0",
            ["Feed:Rate"] = "20000",
            ["Feed:Instruments"] = "800",
        };
        foreach (var (k, v) in extra)
        {
            settings[k] = v;
        }

        return SiloApplication.Build(settings, static (services, configuration) => services.AddEmbeddedSilo(configuration).AddSyntheticFeed());
    }

    private static Uri BaseAddress(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    [Fact]
    public async Task The_nifty_chain_carries_the_smile_the_feed_priced_with()
    {
        await using var app = Build([]);
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = BaseAddress(app) };
        var feed = app.Services.GetRequiredService<SyntheticFeedHostedService>();
        await WaitUntilAsync(() => feed.Ingest.TicksWritten > 40_000, "the feed wrote 40,000 ticks");

        using var chain = await http.GetFromJsonAsync<JsonDocument>("/api/chain/NIFTY");
        var root = chain!.RootElement;
        Assert.Equal("NIFTY 50", root.GetProperty("underlying").GetString());
        var smile = feed.Market.SmileOf(root.GetProperty("underlying_token").GetUInt32());
        var compared = 0;
        foreach (var row in root.GetProperty("strikes").EnumerateArray())
        {
            foreach (var side in new[] { "call", "put" })
            {
                var s = row.GetProperty(side);
                if (s.ValueKind == JsonValueKind.Null || s.GetProperty("iv_status").GetString() != "ok")
                {
                    continue;
                }

                var strike = s.GetProperty("strike").GetDouble();
                var spot = s.GetProperty("underlying_price").GetDouble();
                var vega = s.GetProperty("vega").GetDouble();
                var outOfTheMoney = side == "call" ? strike >= spot : strike <= spot;
                // Prices are rounded to the 0.05 tick: only options whose price moves enough with volatility (out of
                // the money, vega of a rupee or more a point) pin IV down to a few hundredths of a point.
                if (!outOfTheMoney || vega < 1 || Math.Abs(Math.Log(strike / spot)) > 0.04)
                {
                    continue;
                }

                var expected = smile.VolatilityAt(strike, spot);
                Assert.InRange(s.GetProperty("iv").GetDouble(), expected - 0.005, expected + 0.005);
                Assert.True(s.GetProperty("delta").ValueKind == JsonValueKind.Number);
                compared++;
            }
        }

        Assert.True(compared >= 10, $"only {compared} options near the money had an IV to compare");
        await app.StopAsync();
    }

    [Fact]
    public async Task Api_answers_instruments_accounts_health_and_errors()
    {
        await using var app = Build([]);
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = BaseAddress(app) };
        var feed = app.Services.GetRequiredService<SyntheticFeedHostedService>();
        await WaitUntilAsync(() => feed.Ingest.TicksWritten > 5_000, "the feed wrote 5,000 ticks");
        var store = app.Services.GetRequiredService<InMemorySnapshotStore>();
        var nifty = feed.Market.Instruments[0];
        await WaitUntilAsync(() => store.TryGet(nifty.InstrumentToken, out _), "the first underlying has a snapshot");

        Assert.Equal("Healthy", await http.GetStringAsync("/health"));
        using var instrument = await http.GetFromJsonAsync<JsonDocument>($"/api/instruments/{nifty.InstrumentToken}");
        Assert.Equal("underlying", instrument!.RootElement.GetProperty("kind").GetString());
        Assert.True(instrument.RootElement.GetProperty("bar").GetProperty("close").GetDouble() > 0);

        // Accounts come from their grains, which the feed reports to once a second.
        JsonElement account = default;
        await WaitUntilAsync(
            () =>
            {
                using var accounts = http.GetFromJsonAsync<JsonDocument>("/api/accounts").GetAwaiter().GetResult();
                var list = accounts!.RootElement.GetProperty("accounts");
                account = list.GetArrayLength() > 0 ? list[0].Clone() : default;
                return account.ValueKind == JsonValueKind.Object && account.GetProperty("active").GetBoolean();
            },
            "the synthetic account is reported active");
        Assert.Equal("synthetic", account.GetProperty("account_id").GetString());

        // The synthetic feed takes no lease: the silo reporting it is the one streaming it.
        Assert.Equal(app.Services.GetRequiredService<IOptions<SiloOptions>>().Value.SiloId, account.GetProperty("silo").GetString());

        var unknown = await http.GetAsync("/api/instruments/1");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);
        var badExpiry = await http.GetAsync("/api/chain/NIFTY?expiry=tomorrow");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, badExpiry.StatusCode);
        Assert.Contains("not a date", await badExpiry.Content.ReadAsStringAsync());
        await app.StopAsync();
    }

    [Fact]
    public async Task A_clean_shutdown_writes_every_tick_the_feed_wrote()
    {
        // A drain deadline far beyond need: the test is about nothing being lost, not about how fast a loaded machine drains.
        await using var app = Build(new() { ["Batching:WindowMs"] = "10000", ["Batching:IdleFlush"] = "false", ["Silo:DrainTimeout"] = "00:02:00" });
        await app.StartAsync();
        var feed = app.Services.GetRequiredService<SyntheticFeedHostedService>();
        await WaitUntilAsync(() => feed.Ingest.TicksWritten > 20_000, "the feed wrote 20,000 ticks");

        await app.StopAsync();

        var totals = app.Services.GetRequiredService<SiloStatistics>().Capture();
        var store = app.Services.GetRequiredService<InMemorySnapshotStore>();
        Assert.Equal(0, totals.InvalidTicks);
        Assert.Equal(feed.Ingest.TicksWritten, totals.TicksProcessed);
        Assert.Equal(totals.TicksProcessed, store.Written);
        Assert.True(totals.FlushesByReason[3] >= 1, "no shutdown flush happened");
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(20);
        }
    }
}
