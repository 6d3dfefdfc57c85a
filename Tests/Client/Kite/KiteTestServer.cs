using Ticker.Client.Kite;
using Ticker.Grains.Instruments;
using Ticker.Silo.KiteMock;
using Ticker.Tests.Infrastructure;

namespace Ticker.Tests.Client.Kite;

/// <summary>Starts the in-process Kite mock on a free loopback port with quick intervals, and options pointing at it.</summary>
internal static class KiteTestServer
{
    public const string ApiKey = "test_api_key";

    public const string AccessToken = "test_SECRET_token_4242";

    public static Task<KiteMockServer> StartAsync(int instruments = 200, InstrumentMaster? master = null, Action<KiteMockOptions>? configure = null)
    {
        var options = new KiteMockOptions
        {
            Port = 0,
            ApiKey = ApiKey,
            AccessToken = AccessToken,
            Master = master ?? TestMarket.Master,
            Instruments = instruments,
            Rate = 2_000,
            TickInterval = TimeSpan.FromMilliseconds(50),
            HeartbeatInterval = TimeSpan.FromMilliseconds(250),
        };
        configure?.Invoke(options);
        return KiteMockServer.StartAsync(options, null, CancellationToken.None);
    }

    public static KiteOptions Options(KiteMockServer server, TimeSpan? staleAfter = null) => new()
    {
        Url = server.Url.ToString(),
        StaleAfter = staleAfter ?? TimeSpan.FromSeconds(5),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        Reconnect = new KiteReconnectOptions
        {
            InitialDelay = TimeSpan.FromMilliseconds(50),
            MaxDelay = TimeSpan.FromMilliseconds(500),
        },
    };

    public static KiteCredentials Credentials(string? accessToken = null) => new(ApiKey, accessToken ?? AccessToken);
}
