using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Ticker.Client.Ingestion;
using Ticker.Grains.Diagnostics;
using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Instruments;
using Ticker.Grains.Interfaces.Ticks;
using Ticker.Silo.Hosting;
using Ticker.Silo.Transports.Embedded;
using Ticker.Tests.Client.Kite;
using Ticker.Tests.Infrastructure;

namespace Ticker.Tests.Grains.Market;

/// <summary>Validation on the stream path of a real embedded silo: what the partition consumers drop, count and apply.</summary>
public sealed class TickPartitionGrainIntegrationTests
{
    [Fact]
    public async Task Lenient_validation_drops_and_counts_bad_ticks_and_applies_the_rest()
    {
        await using var silo = await StartAsync("Lenient");
        var (nifty, call) = Instruments(silo);
        var nowUs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
        Tick[] ticks =
        [
            TestMarket.Tick(nifty.InstrumentToken, 24000, nowUs),
            TestMarket.Tick(call.InstrumentToken, -5, nowUs),
            TestMarket.Tick(1, 100, nowUs),
            TestMarket.Tick(call.InstrumentToken, 150, nowUs),
        ];

        var totals = await PublishAsync(silo, ticks);

        Assert.Equal(2, totals.InvalidTicks);
        Assert.Equal((1, 1), (totals.UnderlyingTicks, totals.OptionTicks));
        Assert.True(silo.Services.GetRequiredService<InMemorySnapshotStore>().TryGet(call.InstrumentToken, out var snapshot));
        Assert.Equal(150, snapshot.LastPrice);
        Assert.Equal(24000, snapshot.UnderlyingPrice);
    }

    [Fact]
    public async Task Strict_validation_rejects_a_batch_with_any_bad_tick()
    {
        await using var silo = await StartAsync("Strict");
        var (nifty, call) = Instruments(silo);
        var nowUs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;

        var totals = await PublishAsync(silo, [TestMarket.Tick(nifty.InstrumentToken, 24000, nowUs), TestMarket.Tick(call.InstrumentToken, -5, nowUs)]);

        Assert.Equal(0, totals.TicksProcessed);
        Assert.True(totals.InvalidTicks >= 1);
        Assert.False(silo.Services.GetRequiredService<InMemorySnapshotStore>().TryGet(nifty.InstrumentToken, out _));
    }

    private static async Task<WebApplication> StartAsync(string validation)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Http:Url"] = "http://127.0.0.1:0",
            ["Kite:Enabled"] = "false",
            ["Silo:ShardCount"] = "1",
            ["Validation:Mode"] = validation,
        };
        var app = SiloApplication.Build(settings, static (services, configuration) => services.AddEmbeddedSilo(configuration));
        await app.StartAsync();
        return app;
    }

    private static (Instrument Nifty, Instrument Call) Instruments(WebApplication silo)
    {
        var master = silo.Services.GetRequiredService<InstrumentMaster>();
        var nifty = master.Underlyings[0];
        var options = master.Options(nifty.InstrumentToken, master.Expiries(nifty.InstrumentToken)[0]);
        var call = options.First(o => o.Kind == InstrumentKind.Call && Math.Abs(o.Strike - 24000) < 1e-9);
        return (nifty, call);
    }

    private static async Task<SiloTotals> PublishAsync(WebApplication silo, Tick[] ticks)
    {
        var statistics = silo.Services.GetRequiredService<SiloStatistics>();
        await silo.Services.GetRequiredService<OrleansTickStreamWriter>().WriteAsync(ticks, CancellationToken.None);
        await Eventually.WaitUntilAsync(() => statistics.DeliveredTicks == ticks.Length, "every tick was delivered");
        return statistics.Capture();
    }
}
