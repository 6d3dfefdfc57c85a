using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Ticker.Grains.Instruments;
using StackExchange.Redis;
using Ticker.Tests.Infrastructure;
using Ticker.Tests.Silo.Transports.Redis;

namespace Ticker.Tests.Client.Library;

/// <summary>
/// A redis-server, a silo on it and the state a synthetic feed left there (the feed has stopped and the silo has
/// caught up, so the data holds still while the tests read it). The silo keeps running to answer its HTTP API.
/// </summary>
public sealed class TickerSiloFixture : IAsyncLifetime
{
    /// <summary>
    /// Instruments the feed ticks: the two indices, then options by expiry and nearness to the money (502 per NIFTY
    /// expiry, 242 per BANKNIFTY one), so at least the first two expiries tick and the last never does.
    /// </summary>
    public const int Instruments = 1_100;

    /// <summary>Ticks the feed writes.</summary>
    public const int Ticks = 20_000;

    private WebApplication? _silo;

    public RedisServerFixture Server { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public IConnectionMultiplexer Redis { get; private set; } = null!;

    /// <summary>The feed's manifest: one line per instrument with its final ticks, last price and volume.</summary>
    public IReadOnlyList<JsonElement> Manifest { get; private set; } = [];

    public static InstrumentMaster Master => RedisSiloHarness.Master;

    public async Task InitializeAsync()
    {
        Server = await RedisServerFixture.StartNewAsync();
        Redis = await ConnectionMultiplexer.ConnectAsync(Server.ConnectionString);
        _silo = RedisSiloHarness.BuildSilo(Server.ConnectionString, "silo-client-tests");
        await _silo.StartAsync();
        Http = new HttpClient { BaseAddress = RedisSiloHarness.BaseAddress(_silo) };
        await using var feed = new RedisSiloHarness.Feed(Server.ConnectionString, Instruments);
        await feed.RunAsync(rate: 0, totalTicks: Ticks);
        await RedisSiloHarness.WaitUntilCaughtUpAsync(Redis, TimeSpan.FromSeconds(60));
        Manifest = feed.ManifestLines();
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (_silo is not null)
        {
            await _silo.StopAsync();
            await _silo.DisposeAsync();
        }

        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }

        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}
